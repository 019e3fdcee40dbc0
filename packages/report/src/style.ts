/** The report's stylesheet, inlined into the page (no external resources). */
export const REPORT_CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;--accent:#2457c5;
--person:#1d4ed8;--person-bg:#dbeafe;--organization:#b45309;--organization-bg:#ffedd5;--place:#15803d;--place-bg:#dcfce7;
--event:#7e22ce;--event-bg:#f3e8ff;--other:#374151;--other-bg:#e5e7eb;--quote:#ca8a04;--quote-bg:#fef9c3}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
header.top{position:sticky;top:0;z-index:5;background:#17212f;color:#fff;display:flex;align-items:center;gap:24px;padding:0 20px;height:48px}
header.top .brand{font-weight:600;letter-spacing:.02em}
header.top nav{display:flex;gap:2px;height:100%}
header.top nav a{color:#c9d2dd;text-decoration:none;padding:0 12px;display:flex;align-items:center;border-bottom:3px solid transparent}
header.top nav a:hover{color:#fff}
header.top nav a.active{color:#fff;border-bottom-color:#6ea8fe}
header.top .version{margin-left:auto;color:#8795a6;font-size:12px}
main{max-width:1280px;margin:0 auto;padding:20px}
h1,h2,h3{line-height:1.25}h2{font-size:22px;margin:0 0 12px}h3{font-size:16px;margin:18px 0 8px}
a{color:var(--accent)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin-bottom:16px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px;margin-bottom:16px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.stat .n{font-size:22px;font-weight:600}.stat .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.stat.bad .n{color:#b91c1c}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
.toolbar input[type=search]{min-width:260px;padding:6px 10px;border:1px solid #cbd2d9;border-radius:6px;font:inherit}
.toolbar select{padding:5px 8px;border:1px solid #cbd2d9;border-radius:6px;font:inherit;background:#fff}
.toolbar .info{color:var(--muted)}
.pager{display:flex;gap:4px;align-items:center;margin-left:auto}
button{font:inherit;padding:4px 10px;border:1px solid #cbd2d9;border-radius:6px;background:#fff;cursor:pointer;color:var(--fg)}
button:disabled{opacity:.4;cursor:default}button.on{background:#17212f;color:#fff;border-color:#17212f}
table.grid{width:100%;border-collapse:collapse;background:var(--card)}
table.grid th,table.grid td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.grid th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);white-space:nowrap;user-select:none;background:#fafbfc}
table.grid th.sortable{cursor:pointer}table.grid th.sorted-asc::after{content:" \\25B2"}table.grid th.sorted-desc::after{content:" \\25BC"}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
table.grid tbody tr.clickable{cursor:pointer}table.grid tbody tr.clickable:hover{background:#f0f5ff}
.muted{color:var(--muted)}.small{font-size:12px}.nowrap{white-space:nowrap}.empty{color:var(--muted);font-style:italic}
.chip{display:inline-block;padding:0 6px;border-radius:9px;font-size:11px;line-height:18px;background:var(--other-bg);color:var(--other);white-space:nowrap}
.chip.t-person{background:var(--person-bg);color:var(--person)}.chip.t-organization{background:var(--organization-bg);color:var(--organization)}
.chip.t-place{background:var(--place-bg);color:var(--place)}.chip.t-event{background:var(--event-bg);color:var(--event)}
.chip.warn{background:#fee2e2;color:#991b1b}.chip.k-direct,.chip.k-partial,.chip.k-scare{background:var(--quote-bg);color:#854d0e}
.doc-layout{display:grid;grid-template-columns:minmax(0,860px) minmax(300px,1fr);gap:16px;align-items:start}
@media (max-width:900px){.doc-layout{grid-template-columns:1fr}}
.doc-head h2{margin-bottom:4px}
dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:2px 12px;margin:8px 0 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
article.text{font:16px/1.65 Georgia,"Times New Roman",serif}
article.text p{margin:0 0 1em;white-space:pre-wrap;overflow-wrap:anywhere}article.text h3{font:600 18px/1.3 system-ui,sans-serif;margin:1.2em 0 .5em}
mark.ent{background:var(--other-bg);color:inherit;border-radius:3px;padding:0 1px;cursor:pointer;box-shadow:inset 0 -2px 0 var(--other)}
mark.ent.t-person{background:var(--person-bg);box-shadow:inset 0 -2px 0 var(--person)}
mark.ent.t-organization{background:var(--organization-bg);box-shadow:inset 0 -2px 0 var(--organization)}
mark.ent.t-place{background:var(--place-bg);box-shadow:inset 0 -2px 0 var(--place)}
mark.ent.t-event{background:var(--event-bg);box-shadow:inset 0 -2px 0 var(--event)}
mark.ent.focus{outline:2px solid #111;outline-offset:1px}
.hide-person mark.t-person,.hide-organization mark.t-organization,.hide-place mark.t-place,.hide-event mark.t-event,.hide-other mark.t-other{background:none;box-shadow:none}
.hide-quotes .q{background:none;border-bottom:none}.hide-quotes .speaker{display:none}
.q{border-bottom:2px solid var(--quote)}.q.k-direct{background:var(--quote-bg)}.q.k-partial{border-bottom-style:dashed}.q.k-scare{border-bottom:2px dotted #9aa5b1}
.speaker{display:inline-block;font:600 11px/16px system-ui,sans-serif;color:#854d0e;background:#fff7d6;border:1px solid #f3d67a;border-radius:8px;padding:0 6px;margin:0 3px;vertical-align:2px;text-decoration:none}
.speaker.none{color:var(--muted);background:#f3f4f6;border-color:#e5e7eb;font-weight:400}
.flash{animation:flash 1.6s ease-out 1}@keyframes flash{0%{outline:3px solid #f59e0b}100%{outline:3px solid transparent}}
.legend{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:10px 0}
.legend label{display:inline-flex;gap:4px;align-items:center;cursor:pointer}
.seg{display:inline-flex}.seg button{border-radius:0}.seg button:first-child{border-radius:6px 0 0 6px}.seg button:last-child{border-radius:0 6px 6px 0}
.source .kept{border-left:3px solid #86efac;padding-left:8px}
.source .removed{margin:0 0 .35em;border-left:3px solid #fca5a5;padding-left:8px;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#7f1d1d;white-space:pre-wrap;overflow-wrap:anywhere}
.source .removed del{text-decoration:line-through;text-decoration-color:#dc2626;background:#fef2f2;cursor:help}
.rule{display:inline-block;font:11px/16px system-ui,sans-serif;color:#991b1b;background:#fee2e2;border-radius:8px;padding:0 6px;margin-left:6px;vertical-align:1px}
.side h3:first-child{margin-top:0}.side ul{list-style:none;margin:0;padding:0;max-height:440px;overflow:auto}.side li{padding:3px 0;border-bottom:1px solid #f1f3f5}
.side li a{text-decoration:none}.side .count{float:right;color:var(--muted);font-variant-numeric:tabular-nums}
.diag{font-size:12px}.diag code{background:#f1f3f5;border-radius:4px;padding:0 4px}
.crumbs{display:flex;gap:10px;align-items:center;margin-bottom:10px}
.matrix-row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.matrix-wrap{overflow:auto;max-width:100%}.pairs{flex:1;min-width:320px}.pairs h3{margin-top:0}.matrix text{font:11px system-ui,sans-serif;fill:#374151}.matrix rect.cell:hover{stroke:#111;stroke-width:1.5}
.cluster{border:1px solid var(--line);border-radius:8px;padding:12px;margin-bottom:12px;background:#fff}
.cluster .members{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px;margin-top:8px}
.cluster .member{border:1px solid var(--line);border-radius:6px;padding:8px;background:#fcfcfd}
.cluster .member.rep{background:#fffbea;border-color:#f3d67a}
.cluster .member .body{font:15px/1.55 Georgia,serif;margin-top:6px}
ins.diff{background:#bbf7d0;text-decoration:none;border-radius:2px}del.diff{background:#fecaca;color:#7f1d1d;border-radius:2px}
.speaker-group{margin-bottom:14px}.speaker-group h3{margin:0 0 6px}
blockquote.qt{margin:0;font:15px/1.5 Georgia,serif}
.kv{display:flex;flex-wrap:wrap;gap:4px 14px}
`;
