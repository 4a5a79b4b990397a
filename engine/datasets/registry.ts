/** Loading the datasets engine/datasets/names.ts describes, by name. */
import { defaultMnistDir, loadMnist, type MnistSplits } from '../mnist.js';
import { defaultFashionMnistDir, FASHION_MISSING, loadOfficialSplit } from './official-split.js';
import { DIABETES, loadTabular, WINE } from './sklearn-sets.js';

export { DATASETS, DATASET_NAMES, type DatasetInfo, type DatasetName, type ErrorKind } from './names.js';
import type { DatasetName } from './names.js';

export interface DatasetSizes {
  train: number;
  eval: number;
  /** Official-test examples evaluated after every epoch besides eval (mnist only; 0 = none). */
  test: number;
}

/** Loads a dataset's splits (absent name = the paper's MNIST). Sizes are checked by each loader. */
export function loadDataset(name: DatasetName | undefined, sizes: DatasetSizes): MnistSplits {
  switch (name ?? 'mnist') {
    case 'mnist':
      return loadMnist({ train: sizes.train, eval: sizes.eval, test: sizes.test > 0 ? sizes.test : undefined });
    case 'mnist-official':
      return loadOfficialSplit({ dir: defaultMnistDir(), train: sizes.train, eval: sizes.eval });
    case 'fashion-mnist':
      return loadOfficialSplit({
        dir: defaultFashionMnistDir(),
        train: sizes.train,
        eval: sizes.eval,
        missing: FASHION_MISSING,
      });
    case 'diabetes':
      return loadTabular(DIABETES, { train: sizes.train, eval: sizes.eval });
    case 'wine':
      return loadTabular(WINE, { train: sizes.train, eval: sizes.eval });
  }
}
