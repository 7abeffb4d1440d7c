namespace ServerlessMonitor.Pages;

/// <summary>The status page's stylesheet and script, inline so the page needs nothing else.</summary>
internal static class StatusPageStyle
{
    public const string Css = """
        :root { --up:#1a7f37; --degraded:#9a6700; --partial:#bc4c00; --down:#cf222e; --maintenance:#0969da; --unknown:#6e7781;
                --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --card:#f6f8fa; }
        * { box-sizing: border-box; }
        body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
        header, main, footer { max-width:960px; margin:0 auto; padding:1rem; }
        h1 { font-size:1.6rem; margin:.2rem 0; } h2 { font-size:1.25rem; margin:0; } h3 { font-size:1rem; margin:1rem 0 .3rem; }
        .banner { padding:1rem; border-radius:8px; color:#fff; font-weight:600; }
        .banner.up { background:var(--up); } .banner.degraded { background:var(--degraded); } .banner.partial { background:var(--partial); }
        .banner.down { background:var(--down); } .banner.maintenance { background:var(--maintenance); } .banner.unknown { background:var(--unknown); }
        .banner p { margin:.2rem 0; }
        section.service { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; margin:1rem 0; }
        .head { display:flex; flex-wrap:wrap; gap:.5rem; align-items:baseline; justify-content:space-between; }
        .pill { display:inline-block; padding:.1rem .6rem; border-radius:1rem; color:#fff; font-size:.85rem; font-weight:600; }
        .pill.up { background:var(--up); } .pill.degraded { background:var(--degraded); } .pill.partial { background:var(--partial); }
        .pill.down { background:var(--down); } .pill.maintenance { background:var(--maintenance); } .pill.unknown { background:var(--unknown); }
        .muted { color:var(--muted); font-size:.9rem; }
        svg.bars { width:100%; height:32px; display:block; }
        svg.bars rect.good { fill:var(--up); } svg.bars rect.fair { fill:#4ac26b; } svg.bars rect.poor { fill:var(--degraded); }
        svg.bars rect.bad { fill:var(--down); } svg.bars rect.none { fill:#d1d9e0; }
        .legend { display:flex; justify-content:space-between; font-size:.8rem; color:var(--muted); }
        svg.chart { width:100%; height:auto; display:block; background:#fff; border:1px solid var(--line); border-radius:4px; }
        svg.chart .line { fill:none; stroke:var(--maintenance); stroke-width:2; } svg.chart .axis { stroke:var(--line); }
        svg.chart .incident { fill:var(--down); opacity:.15; } svg.chart .dot { fill:var(--maintenance); } svg.chart .tick { font-size:10px; fill:var(--muted); }
        table { width:100%; border-collapse:collapse; font-size:.9rem; margin:.5rem 0; }
        caption { text-align:left; font-weight:600; padding:.3rem 0; }
        th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
        .scroll { overflow-x:auto; }
        ol.timeline { margin:.25rem 0 .75rem; padding-left:1.25rem; } ol.timeline time { color:var(--muted); font-size:.85rem; }
        .advice { margin:.3rem 0; padding-left:1.2rem; }
        .visitor-check { font-weight:600; margin:.3rem 0; } .visitor-check[data-result=checking] { color:var(--muted); }
        .visitor-check[data-result=reachable] { color:var(--up); } .visitor-check[data-result=unreachable] { color:var(--down); }
        .surge { color:var(--down); font-weight:600; }
        form.report { display:flex; flex-wrap:wrap; gap:.5rem; align-items:flex-end; margin-top:.5rem; }
        form.report label { display:flex; flex-direction:column; font-size:.85rem; }
        form.report textarea { min-width:14rem; min-height:2.4rem; font:inherit; }
        form.report select, form.report button { font:inherit; padding:.3rem .6rem; }
        .result { min-height:1.2rem; font-size:.9rem; }
        a { color:var(--maintenance); }
        form.search { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.5rem 0 1rem; }
        form.search input { font:inherit; padding:.3rem .5rem; min-width:14rem; } form.search button { font:inherit; padding:.3rem .6rem; }
        section.group h2 { margin:1rem 0 .3rem; }
        nav.pager ul { list-style:none; display:flex; flex-wrap:wrap; gap:.4rem; padding:0; } nav.pager a { padding:.2rem .5rem; }
        nav.pager a[aria-current=page] { font-weight:700; text-decoration:none; border:1px solid var(--line); border-radius:4px; }
        @media (max-width: 600px) { body { font-size:15px; } th, td { padding:.3rem; } }
        """;

    /// <summary>Posts reports as JSON, and refreshes the page every minute unless someone is typing.</summary>
    public const string Script = """
        document.querySelectorAll('form.report').forEach(form => form.addEventListener('submit', async e => {
          e.preventDefault();
          const out = form.querySelector('.result');
          const body = { kind: form.kind.value, message: form.message.value || undefined };
          try {
            const r = await fetch(form.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            const json = await r.json().catch(() => ({}));
            out.textContent = r.status === 202 ? (json.counted ? 'Thanks, your report was counted.' : 'Thanks, we already have your report.')
              : (json.detail || json.title || ('Could not send the report (' + r.status + ').'));
            if (r.status === 202) form.reset();
          } catch { out.textContent = 'Could not send the report: check your connection.'; }
        }));
        setInterval(() => { if (!document.activeElement || !document.activeElement.closest('form')) location.reload(); }, 60000);
        """;
}
