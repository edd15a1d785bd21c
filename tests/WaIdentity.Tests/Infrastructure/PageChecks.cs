using Microsoft.Playwright;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// WCAG 2.2 AA checks a browser test runs on any page: every visible form field has an accessible name (a label,
/// aria-label or aria-labelledby), every visible text has at least 4.5:1 contrast against the background it is
/// painted on, and keyboard focus is visible. Each failure names the element, so a report says what to fix.
/// </summary>
public static class PageChecks
{
    /// <summary>Runs every check and fails with the list of problems found on <paramref name="page"/>.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var problems = new List<string>();
        problems.AddRange(await page.EvaluateAsync<string[]>(LabelsScript));
        problems.AddRange(await page.EvaluateAsync<string[]>(ContrastScript));
        problems.AddRange(await FocusProblemsAsync(page));
        Assert.True(problems.Count == 0, $"{new Uri(page.Url).PathAndQuery}:\n" + string.Join("\n", problems));
    }

    /// <summary>Tabs through the first few focusable elements; each must show an outline (or a focus shadow) while focused.</summary>
    private static async Task<List<string>> FocusProblemsAsync(IPage page, int steps = 6)
    {
        var problems = new List<string>();
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        for (var i = 0; i < steps; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var problem = await page.EvaluateAsync<string?>("""
                () => {
                  const el = document.activeElement;
                  if (!el || el === document.body) return null;
                  const s = getComputedStyle(el);
                  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                  return outlined || s.boxShadow !== 'none' ? null
                    : 'no visible focus: <' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '> ' + (el.textContent || '').trim().slice(0, 40);
                }
                """);
            if (problem is not null) problems.Add(problem);
        }
        return problems;
    }

    private const string Describe = """
        const describe = el => '<' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + '>';
        const visible = el => {
          const s = getComputedStyle(el), r = el.getBoundingClientRect();
          return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
        };
        """;

    private const string LabelsScript = "() => {" + Describe + """
          const problems = [];
          for (const el of document.querySelectorAll('input, select, textarea')) {
            if (el.type === 'hidden' || !visible(el)) continue;
            const byId = (el.getAttribute('aria-labelledby') || '').split(/\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ');
            const name = [...(el.labels || [])].map(l => l.textContent).join(' ') + ' ' + (el.getAttribute('aria-label') || '') + ' ' + byId;
            if (!name.trim()) problems.push('no label: ' + describe(el));
          }
          return problems;
        }
        """;

    /// <summary>
    /// Text colour blended over the element's effective background: the first opaque background walking up the tree,
    /// with the translucent ones on the way composited over it. Disabled controls are exempt (WCAG 1.4.3).
    /// </summary>
    private const string ContrastScript = "() => {" + Describe + """
          const parse = c => {
            const m = /rgba?\(([^)]+)\)/.exec(c);
            if (!m) return null;
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
            return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
          };
          const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                                           b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
          const background = el => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
            }
            return layers.reverse().reduce((bg, layer) => over(layer, bg), { r: 255, g: 255, b: 255, a: 1 });
          };
          const luminance = c => {
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
          };
          const problems = [];
          for (const el of document.querySelectorAll('body *')) {
            if (!visible(el) || el.closest(':disabled, [aria-disabled=true]')) continue;
            const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()
              || (el.matches('input:not([type=checkbox]):not([type=radio]), textarea') ? el.value || el.placeholder : '');
            if (!text) continue;
            const bg = background(el);
            const fg = over(parse(getComputedStyle(el).color), bg);
            const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
            const ratio = (hi + 0.05) / (lo + 0.05);
            if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ':1 ' + describe(el) + ' "' + text.slice(0, 40) + '"');
          }
          return problems;
        }
        """;
}
