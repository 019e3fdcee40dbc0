import { analyseDocument, type AnalysisInput, type DocumentProcessor } from './analyse.js';

/**
 * A short article of the usual shape (menu, headline, byline, dateline, quotes, footer), not from any corpus: analysed
 * once by a fresh worker, it builds what the stages build on first use (chrono's patterns, compromise's match nets,
 * the tagger's index) and compiles their code before the first real document arrives. The stages are pure, so it
 * changes no result.
 */
const WARM_UP: AnalysisInput = {
  path: 'warm-up.txt',
  mediaType: 'text/plain',
  overrides: {},
  siteChrome: [],
  text: [
    'Home',
    'News',
    'Analysis',
    'Contact',
    '',
    'Ministers agree to extend the river transit accord',
    '',
    'By Jane Doe',
    '12 March 2021',
    '',
    'GENEVA – Delegations from the European Union and the African Union met in Geneva on Tuesday to extend the river transit accord for another year.',
    '',
    '“We are closer than we have been for weeks,” said Maria Lopez, the commission’s chief negotiator. Mr. Brown, who leads the other delegation, said the talks would “continue in good faith”.',
    '',
    'The World Bank estimated that the accord had lowered shipping costs by a fifth since 2019. Officials in Varnholt said Quenby Arlow would chair the Corvane Trade Council, which Tavor Quillan founded. A Delsmere spokesman welcomed the Brantle plan, and Orvick reportedly agreed.',
    '',
    'Last updated: the 3rd of March in the year 2021',
    '',
    'Related articles',
    '© 2021 Example Review. All rights reserved.',
  ].join('\n'),
};

/** Runs the stages once over `WARM_UP` (see there). */
export function warmUp(processor: DocumentProcessor): void {
  analyseDocument(processor, WARM_UP);
}
