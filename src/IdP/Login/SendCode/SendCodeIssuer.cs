using System.Text;
using Microsoft.Extensions.Options;
using QRCoder;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// What the send-code page shows: the code, the business number to send it to (for people who type it by hand), the
/// wa.me link (also the phone's deep link) and its QR code as SVG.
/// </summary>
internal sealed record SendCodeInvitation(string Code, string BusinessNumber, string Link, string QrSvgDataUri, DateTimeOffset ExpiresAt);

/// <summary>Creates a send-code challenge for a flow and the prefilled message that carries its code.</summary>
internal sealed class SendCodeIssuer(SentCodeChallenges challenges, IOptionsMonitor<LoginOptions> options)
{
    public const string CodePrefix = "WAID-";

    public async Task<SendCodeInvitation> IssueAsync(LoginFlow flow, string? expectedPhone, CancellationToken ct)
    {
        var rules = options.CurrentValue.SendCode;
        var challenge = new LoginSendCode { FlowHash = flow.Hash, ExpectedPhone = expectedPhone, TraceParent = flow.TraceParent };
        var code = await challenges.IssueAsync(challenge, CodePrefix, TimeSpan.FromSeconds(rules.LifetimeSeconds), ct);
        // The text names the site and the purpose, so a person asked to send it by someone else can see what it does.
        var (link, _) = SentCode.Links(rules.BusinessNumber!, $"Log in to {rules.SiteName} with this code: {code}");
        return new SendCodeInvitation(code, rules.BusinessNumber!, link, QrDataUri(link), challenge.ExpiresAt);
    }

    private static string QrDataUri(string link)
    {
        using var data = QRCodeGenerator.GenerateQrCode(link, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
