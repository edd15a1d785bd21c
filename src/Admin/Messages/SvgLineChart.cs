using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace WaIdentity.Admin.Messages;

internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<int> Values);

/// <summary>
/// A plain SVG line chart drawn on the server: no chart library to bundle, nothing for the CSP to allow, and it
/// prints. One line per series over the same x labels, with a legend and the y maximum.
/// </summary>
internal static class SvgLineChart
{
    private const int Width = 720, Height = 220, Left = 36, Bottom = 24, Top = 10;

    public static IHtmlContent Render(string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series)
    {
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height + 24}\" role=\"img\" aria-label=\"{Enc(title)}\">"));
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width}\" y2=\"{Height - Bottom}\" stroke=\"#c5d0ca\"/>"));
        svg.Append(Inv($"<text x=\"0\" y=\"{Top + 8}\" font-size=\"11\">{max}</text><text x=\"0\" y=\"{Height - Bottom}\" font-size=\"11\">0</text>"));
        for (var i = 0; i < labels.Count; i += Math.Max(1, labels.Count / 8))
            svg.Append(Inv($"<text x=\"{X(i, labels.Count)}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"middle\">{Enc(labels[i])}</text>"));
        foreach (var s in series)
        {
            var points = string.Join(' ', s.Values.Select((v, i) => Inv($"{X(i, labels.Count):0.#},{Y(v, max):0.#}")));
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{Enc(s.Color)}\" stroke-width=\"2\" points=\"{points}\"><title>{Enc(s.Name)}</title></polyline>"));
        }
        for (var i = 0; i < series.Count; i++)
            svg.Append(Inv($"<rect x=\"{Left + i * 110}\" y=\"{Height + 8}\" width=\"10\" height=\"10\" fill=\"{Enc(series[i].Color)}\"/><text x=\"{Left + 14 + i * 110}\" y=\"{Height + 17}\" font-size=\"12\">{Enc(series[i].Name)}</text>"));
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static double X(int i, int count) => Left + (count <= 1 ? 0 : i * (Width - Left - 10.0) / (count - 1));

    private static double Y(int value, int max) => Height - Bottom - value * (Height - Bottom - Top) / (double)max;

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
