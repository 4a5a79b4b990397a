/**
 * Runs page. #/runs lists: start runs and sweeps, watch the jobs live, the run table (filters, sort,
 * page and comparison in the URL), the comparison of ticked runs, Fig. 5 for a sweep and any metric
 * against any outcome. #/runs/<id> is one run's own view (run-view.ts). Cards with nothing to show
 * yet (jobs, comparison, sweeps, scatter) stay hidden until they have.
 */
import { api, type JobEvent, type JobSummary, type TopologyRecord } from '../api.js';
import { h, showError } from '../dom.js';
import type { Page } from './page.js';
import { runForm, sweepForm } from './run-forms.js';
import { JobsPanel } from './jobs-panel.js';
import { RunTable } from './run-table.js';
import { RunComparison, compareIdsFromUrl, writeCompareToUrl } from './run-compare.js';
import { renderRunView } from './run-view.js';
import { sweepSectionElement } from './sweep-section.js';
import { scatterSectionElement } from './scatter-section.js';

/** The sweep a job ran: from its run events, or the final summary the sweep CLI prints. */
function sweepIdOf(job: JobSummary, e: JobEvent): string | null {
  return job.sweepId ?? (typeof e.sweepId === 'string' ? e.sweepId : null);
}

export const renderRuns: Page = (root, args, params) => {
  if (args[0]) return renderRunView(root, args[0], params);
  const comparison = new RunComparison();
  const table = new RunTable(
    {
      open: (id) => {
        location.hash = `#/runs/${encodeURIComponent(id)}`;
      },
      compare: (ids) => {
        writeCompareToUrl(ids);
        comparison.show(ids).catch(showError);
      },
    },
    compareIdsFromUrl(params),
    params,
  );
  const jobs = new JobsPanel(onJobEvent);
  const jobsCard = h(
    'section',
    { class: 'card', 'data-testid': 'jobs-card', hidden: true },
    h('h2', {}, 'Jobs'),
    jobs.element,
  );
  jobs.onCount = (n) => {
    jobsCard.hidden = n === 0;
  };
  const forms = h('div', { class: 'forms' });
  const sweepSection = sweepSectionElement(params);
  const scatterSection = scatterSectionElement(params);
  root.append(
    forms,
    jobsCard,
    h('section', { class: 'card' }, h('h2', {}, 'Runs'), table.element),
    comparison.element,
    sweepSection.element,
    scatterSection.element,
  );

  api<TopologyRecord[]>('/api/topologies?limit=500')
    .then((topologies) => {
      forms.replaceChildren(
        runForm(topologies, params.get('topology'), (job) => jobs.add(job)),
        sweepForm((job) => jobs.add(job)),
      );
    })
    .catch(showError);
  jobs.load().catch(showError);
  table.load().catch(showError);
  comparison.show(compareIdsFromUrl(params)).catch(showError);

  function onJobEvent(job: JobSummary, e: JobEvent): void {
    if (e.event === 'run' || e.event === 'epoch') {
      table.load().catch(showError); // new rows, errors and epoch counts
    } else if (job.kind === 'sweep' && (e.event === 'sweep' || e.event === 'job')) {
      // A sweep fills in as its runs finish: progress, table rows and Fig. 5 points appear one by one.
      table.load().catch(showError);
      void sweepSection.refresh(sweepIdOf(job, e));
    } else if (e.event === 'end') {
      table.load().catch(showError);
      void sweepSection.refresh(job.kind === 'sweep' ? sweepIdOf(job, e) : null);
      void scatterSection.refresh();
    }
  }

  return () => jobs.stop();
};
