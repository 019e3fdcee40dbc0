import { describe, expect, it } from 'vitest';
import { brief, entity, run } from './test-helpers/run.js';

describe('speakers', () => {
  it('links a named speaker after the quotation to the entity', async () => {
    const text = '“The economy is resilient,” Federal Reserve Chair Jerome Powell told reporters on Wednesday.';
    const powell = entity('e1', 'Jerome Powell', 'person', text);
    const { quotes } = await run(text, [powell]);
    expect(quotes[0].speaker).toEqual({ name: 'Jerome Powell', entityId: 'e1' });
    expect(quotes[0].cue).toBe('told');
    expect(quotes[0].kind).toBe('direct');
    expect(quotes[0].confidence).toBeGreaterThan(0.8);
  });

  it('reads the inverted order with an appositive ("said X, a spokeswoman for Y")', async () => {
    const text = '“We are not going to back down,” said Maria Lopez, a spokeswoman for the union, on Friday.';
    const { quotes } = await run(text, [entity('e1', 'Maria Lopez', 'person', text)]);
    expect(brief(quotes[0])).toEqual({ text: 'We are not going to back down,', kind: 'direct', speaker: 'Maria Lopez', cue: 'said' });
  });

  it('takes the person, not the party, after an inverted cue ("said Conservative group leader Alan Lamb")', async () => {
    const text = '“This scheme is unaffordable and the business case is weak,” said Conservative group leader Alan Lamb.';
    const { quotes } = await run(text, [entity('e1', 'Conservative', 'organization', text), entity('e2', 'Alan Lamb', 'person', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Alan Lamb', entityId: 'e2' });
  });

  it('keeps a quantifier with a group speaker ("one of the sources said")', async () => {
    const text = '“Nothing has been decided yet and the board could still drop the plan,” one of the sources said.';
    const { quotes } = await run(text, []);
    expect(quotes[0].speaker).toEqual({ name: 'one of the sources' });
  });

  it('keeps the organisation when no person follows it ("said Microsoft in a statement")', async () => {
    const text = '“We take these reports seriously,” said Microsoft in a statement on Tuesday.';
    const { quotes } = await run(text, [entity('e1', 'Microsoft', 'organization', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Microsoft', entityId: 'e1' });
  });

  it('links a name found after a lower-case role to its entity ("said state Sen. Jane Roe")', async () => {
    const text = '“We need answers,” said state Sen. Jane Roe, a Republican from Dayton.';
    const { quotes } = await run(text, [entity('e7', 'Jane Roe', 'person', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Jane Roe', entityId: 'e7' });
  });

  it('reads "X, a spokesman for Y, said" after the quotation', async () => {
    const text = '“No decision has been taken,” Dmitry Peskov, a spokesman for the Kremlin, said on Monday.';
    const { quotes } = await run(text, [entity('e1', 'Dmitry Peskov', 'person', text), entity('e2', 'Kremlin', 'organization', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Dmitry Peskov', entityId: 'e1' });
  });

  it('finds the speaker before a colon, with a title and role before the name', async () => {
    const text = 'At a briefing in Geneva, the agency’s deputy director of operations, Helen Park, noted that “supplies will run out within a week. We need access now.”';
    const { quotes } = await run(text, [entity('e1', 'Helen Park', 'person', text)]);
    expect(brief(quotes[0])).toMatchObject({ kind: 'direct', speaker: 'Helen Park', cue: 'noted' });
  });

  it('falls back to a capitalised name near the cue when there are no entities', async () => {
    const text = 'Prime Minister Rishi Sunak said: “We will not be blackmailed. Our position is clear.”';
    const { quotes } = await run(text, []);
    expect(quotes[0].speaker).toEqual({ name: 'Rishi Sunak' });
    expect(quotes[0].text).toBe('We will not be blackmailed. Our position is clear.');
  });

  it('resolves "he"/"she" to the most recent compatible person', async () => {
    const text = 'Angela Merkel met Olaf Scholz in Berlin on Tuesday. “This is a good day for Europe,” she said.';
    const { quotes } = await run(text, [entity('e1', 'Angela Merkel', 'person', text), entity('e2', 'Olaf Scholz', 'person', text)]);
    expect(quotes[0].speaker?.name).toBe('Angela Merkel');
    expect(quotes[0].cue).toBe('said');
  });

  it('prefers the subject of the previous sentence for a pronoun speaker', async () => {
    const text = 'Governor Tom Reed met Mayor Ann Ortiz after the flood. “We will rebuild every home,” he said.';
    const { quotes } = await run(text, [entity('e1', 'Tom Reed', 'person', text), entity('e2', 'Ann Ortiz', 'person', text)]);
    expect(quotes[0].speaker?.name).toBe('Tom Reed');
  });

  it('resolves "As he reiterated" and "He stated" before partial quotations', async () => {
    const text =
      'Finance Minister Carlos Ruiz defended the budget on Monday. As he reiterated in parliament, the two countries “have no disputes that cannot be settled.” He stated that the deficit was “under control.”';
    const { quotes } = await run(text, [entity('e1', 'Carlos Ruiz', 'person', text)]);
    expect(quotes.map(brief)).toEqual([
      { text: 'have no disputes that cannot be settled.', kind: 'partial', speaker: 'Carlos Ruiz', cue: 'reiterated' },
      { text: 'under control.', kind: 'partial', speaker: 'Carlos Ruiz', cue: 'stated' },
    ]);
  });

  it('carries the previous speaker into the next sentence’s quotation', async () => {
    const text = '“It is over,” said coach Mike Brown. “We played badly and we know it.”\n\nThe team flies home on Sunday.';
    const { quotes } = await run(text, [entity('e1', 'Mike Brown', 'person', text)]);
    expect(quotes[1].speaker?.name).toBe('Mike Brown');
    expect(quotes[1].cue).toBeNull();
    expect(quotes[1].confidence).toBeLessThan(quotes[0].confidence);
  });

  it('keeps an interrupted quotation with one speaker', async () => {
    const text = '“This is unacceptable,” Johnson said, “and we will fight it in court.”';
    const { quotes } = await run(text, [entity('e1', 'Boris Johnson', 'person', text, 'Johnson')]);
    expect(quotes.map((q) => [q.kind, q.speaker?.name])).toEqual([['direct', 'Boris Johnson'], ['direct', 'Boris Johnson']]);
  });

  it('names group and description speakers as written', async () => {
    const cases: [string, string][] = [
      ['“Nobody expected this,” a senior official said on condition of anonymity.', 'a senior official'],
      ['Trump’s aides said the president was “furious” about the leak.', 'Trump’s aides'],
      ['“The talks were productive,” according to a statement from the ministry.', 'the ministry'],
    ];
    for (const [text, name] of cases) {
      const { quotes } = await run(text, [entity('e1', 'Donald Trump', 'person', text, 'Trump')]);
      expect(quotes[0].speaker).toEqual({ name });
    }
  });

  it('resolves "they" to a group that was the subject of a recent cue', async () => {
    const text = 'Officials said they expected more attacks before the vote. “We are prepared,” they said.';
    const { quotes } = await run(text);
    expect(quotes[0].speaker).toEqual({ name: 'Officials' });
  });

  it('links an organisation speaker to its entity', async () => {
    const text = '“We will respond in kind,” the Foreign Ministry said in a statement.';
    const { quotes } = await run(text, [entity('o1', 'Foreign Ministry', 'organization', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Foreign Ministry', entityId: 'o1' });
  });

  it('reads "according to" before the quotation', async () => {
    const text = 'According to police, “the suspect fled on foot toward the river.”';
    const { quotes } = await run(text);
    expect(brief(quotes[0])).toEqual({ text: 'the suspect fled on foot toward the river.', kind: 'direct', speaker: 'police', cue: 'According to' });
  });

  it('uses a participle cue with the main clause’s subject', async () => {
    const text = 'Appearing at the summit on Friday, President Lula da Silva criticised the sanctions, saying that “dialogue must prevail.”';
    const { quotes } = await run(text, [entity('e1', 'Lula da Silva', 'person', text)]);
    expect(brief(quotes[0])).toMatchObject({ speaker: 'Lula da Silva', cue: 'saying' });
  });

  it('does not read a participle after the quotation as an inverted attribution', async () => {
    const text = '“We are very concerned,” Lavrov told a news conference, adding that Moscow would “respond appropriately.”';
    const { quotes } = await run(text, [entity('e1', 'Sergei Lavrov', 'person', text, 'Lavrov'), entity('e2', 'Moscow', 'place', text)]);
    expect(quotes.map(brief)).toEqual([
      { text: 'We are very concerned,', kind: 'direct', speaker: 'Sergei Lavrov', cue: 'told' },
      { text: 'respond appropriately.', kind: 'partial', speaker: 'Sergei Lavrov', cue: 'adding' },
    ]);
  });

  it('reads a headline’s "‘…’: Name vows" and an aside between the name and the verb', async () => {
    const text =
      '‘We will not surrender’: Zelensky vows to fight on\n\n“Peace cannot mean surrender,” Zelensky, speaking alongside Polish President Andrzej Duda, told a news conference. “Anyone who thinks otherwise does not understand us.”';
    const { quotes } = await run(text, [entity('e1', 'Volodymyr Zelensky', 'person', text, 'Zelensky'), entity('e2', 'Andrzej Duda', 'person', text)]);
    expect(quotes.map((q) => [q.speaker?.name, q.cue])).toEqual([
      ['Volodymyr Zelensky', 'vows'],
      ['Volodymyr Zelensky', 'told'],
      ['Volodymyr Zelensky', null],
    ]);
  });

  it('uses a speech noun with a possessor', async () => {
    const text = 'Senator Jane Holt’s remarks that “the bill is dead” angered her colleagues.';
    const { quotes } = await run(text, [entity('e1', 'Jane Holt', 'person', text)]);
    expect(brief(quotes[0])).toMatchObject({ speaker: 'Jane Holt', cue: 'remarks' });
  });

  it('leaves an unattributable quotation without a speaker', async () => {
    const text = 'The report ends with a plea: “Do not forget us.”';
    const { quotes } = await run(text);
    expect(quotes[0]).toMatchObject({ kind: 'direct', speaker: null, confidence: 0 });
  });

  it('skips an appositive description and an abbreviation the tokenizer mistakes for a sentence end', async () => {
    const text = 'Republicans pushed back. Sen. John Thune, the chamber’s No. 2 Republican, told reporters the plan was “dead on arrival.”';
    const { quotes } = await run(text, [entity('e1', 'John Thune', 'person', text)]);
    expect(brief(quotes[0])).toEqual({ text: 'dead on arrival.', kind: 'partial', speaker: 'John Thune', cue: 'told' });
  });

  it('prefers a name opening with a known first name as a person, whatever its entity type', async () => {
    const text = 'One of them, Linda Park, a 52-year-old nurse from Maryland, said she had cut back on groceries. “I don’t know how we’ll make rent,” she said.';
    const { quotes } = await run(text, [entity('e1', 'Linda Park', 'place', text), entity('e2', 'Maryland', 'place', text)]);
    expect(quotes[0].speaker).toEqual({ name: 'Linda Park', entityId: 'e1' });
  });

  it('takes any short determiner phrase right next to the quotation as the speaker as written', async () => {
    const text = '“We lost everything,” the 45-year-old mother of three said outside the shelter.';
    const { quotes } = await run(text);
    expect(quotes[0].speaker).toEqual({ name: 'the 45-year-old mother of three' });
  });

  it('attributes a quotation opening a paragraph to the speaker of a colon in the previous one', async () => {
    const text = 'The company’s founder, Omar Haddad, said in a statement:\n\n“We regret the error and apologise to our customers.”';
    const { quotes } = await run(text, [entity('e1', 'Omar Haddad', 'person', text)]);
    expect(quotes[0]).toMatchObject({ kind: 'direct', speaker: { name: 'Omar Haddad', entityId: 'e1' }, cue: 'said' });
  });

  it('does not let a person named inside the quotation become the pronoun’s antecedent', async () => {
    const text = 'Coach Ana Silva praised her striker after the match. “Marco Rossi was simply brilliant tonight,” she said.';
    const { quotes } = await run(text, [entity('e1', 'Ana Silva', 'person', text), entity('e2', 'Marco Rossi', 'person', text)]);
    expect(quotes[0].speaker?.name).toBe('Ana Silva');
  });

  it('takes extra speech verbs from the options', async () => {
    const text = '“Rates will fall,” Dana Kim forecast on Monday.';
    const people = [entity('e1', 'Dana Kim', 'person', text)];
    expect((await run(text, people)).quotes[0].speaker).toBeNull();
    expect((await run(text, people, { speechVerbs: ['forecast|forecasts|forecast|forecasting'] })).quotes[0].speaker?.name).toBe('Dana Kim');
  });
});

describe('kinds', () => {
  it('tells direct, partial and scare quotes apart', async () => {
    const text =
      'Ruiz vowed to work in an “intensified manner,” but quickly added that “sanctions are sanctions.” The so-called “peace plan” was rejected, and critics dismissed the “reforms” as cosmetic.';
    const { quotes } = await run(text, [entity('e1', 'Carlos Ruiz', 'person', text, 'Ruiz')]);
    expect(quotes.map((q) => [q.text, q.kind, q.speaker?.name ?? null])).toEqual([
      ['intensified manner,', 'partial', 'Carlos Ruiz'],
      ['sanctions are sanctions.', 'direct', 'Carlos Ruiz'],
      ['peace plan', 'scare', null],
      ['reforms', 'scare', null],
    ]);
  });

  it('calls a short capitalised title in marks scare, even in a reported sentence', async () => {
    const text = 'Director Christopher Nolan said “Oppenheimer” was his hardest film and that critics had been “too kind.”';
    const { quotes } = await run(text, [entity('e1', 'Christopher Nolan', 'person', text)]);
    expect(quotes.map((q) => [q.text, q.kind, q.speaker?.name ?? null])).toEqual([
      ['Oppenheimer', 'scare', null],
      ['too kind.', 'partial', 'Christopher Nolan'],
    ]);
  });

  it('reads verbs that report speech only after a quotation ("she went on", "she laughed")', async () => {
    const text = '“We ran,” Ana Costa went on, “and never looked back.” “Honestly?” she laughed.';
    const { quotes } = await run(text, [entity('e1', 'Ana Costa', 'person', text)]);
    expect(quotes.map((q) => [q.kind, q.speaker?.name, q.cue])).toEqual([
      ['direct', 'Ana Costa', 'went on'],
      ['direct', 'Ana Costa', 'went on'],
      ['direct', 'Ana Costa', 'laughed'],
    ]);
  });

  it('calls a label after a naming verb partial, not direct', async () => {
    const text = 'Opposition leader Mark Lee called the budget “a betrayal.” The minister replied: “We have done nothing wrong.”';
    const { quotes } = await run(text, [entity('e1', 'Mark Lee', 'person', text)]);
    expect(quotes.map((q) => [q.kind, q.speaker?.name ?? null])).toEqual([['partial', 'Mark Lee'], ['direct', 'The minister']]);
  });

  it('calls a fragment whose subject lies outside the marks partial', async () => {
    const text = 'As she said in Paris, the alliance “remains solid and will keep growing.”';
    const { quotes } = await run(text, [entity('e1', 'Marie Dubois', 'person', 'Marie Dubois')]);
    expect(quotes[0].kind).toBe('partial');
  });
});
