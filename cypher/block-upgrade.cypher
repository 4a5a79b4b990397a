// Replaces old blocks' blobs with their codec-2 encoding: $blocks = [{id, connections}].
UNWIND $blocks AS block
MATCH (b:Block) WHERE elementId(b) = block.id
SET b.connections = block.connections, b.codec = 2
