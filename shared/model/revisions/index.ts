/**
 * Revisions of a negotiated text: cutting them into `D/chair`, opening them read-only, the numbering in force,
 * and what became of each proposal in the next revision. Import from here.
 */
export * from './types.ts';
export {
  cutRevision,
  listRevisions,
  revisionProblems,
  findRevision,
  latestRevision,
  revisionLabelInForce,
  nextRevisionLabel,
  sequentialNumbers,
  revisionDocument,
  revisionsArray,
  isFinal,
  currentBaseline,
  numbersInForce,
  revisionState,
  inflateRevisionState,
  revisionLabelKey,
  type CutRevisionOptions,
} from './store.ts';
export {
  PROPOSAL_FATES,
  proposalFate,
  proposalRevisionFate,
  revisionsAround,
  blockWording,
  RevisionFates,
  type ProposalFate,
  type ProposalRevisionFate,
  type RevisionFateNote,
} from './fate.ts';
