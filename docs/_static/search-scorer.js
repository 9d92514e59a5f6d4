// Sphinx search scoring for this site: on a tie, a component's own summary block (its index
// entries are anchored at #component-<id>) ranks above other pages that mention the name.
var Scorer = {
  score: (result) => {
    const anchor = result[2];
    const score = result[4];
    return anchor && anchor.startsWith("#component-") ? score + 5 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
