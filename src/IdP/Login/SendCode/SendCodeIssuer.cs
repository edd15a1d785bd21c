using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using QRCoder;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// What the send-code page shows: the code, the business number to send it to (for people who type it by hand), the
/// wa.me link (also the phone's deep link) and its QR code as SVG.
/// </summary>
public sealed record SendCodeInvitation(string Code, string BusinessNumber, string Link, string QrSvgDataUri, DateTimeOffset ExpiresAt);

/// <summary>Creates a send-code challenge for a flow and the prefilled message that carries its code.</summary>
public sealed class SendCodeIssuer(IdpDbContext db, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    public const string CodePrefix = "WAID-";

    public async Task<SendCodeInvitation> IssueAsync(LoginFlow flow, string? expectedPhone, CancellationToken ct)
    {
        var rules = options.CurrentValue.SendCode;
        var code = CodePrefix + Base32(RandomNumberGenerator.GetBytes(5));
        var now = clock.GetUtcNow();
        db.Set<SendCodeChallenge>().Add(new SendCodeChallenge
        {
            Id = Guid.NewGuid().ToString("N"), FlowHash = flow.Hash, CodeHash = Hash(code), ExpectedPhone = expectedPhone,
            CreatedAt = now, ExpiresAt = now.AddSeconds(rules.LifetimeSeconds), TraceParent = flow.TraceParent,
        });
        await db.SaveChangesAsync(ct);
        // The text names the site and the purpose, so a person asked to send it by someone else can see what it does.
        var text = $"Log in to {rules.SiteName} with this code: {code}";
        var link = $"https://wa.me/{rules.BusinessNumber!.TrimStart('+')}?text={Uri.EscapeDataString(text)}";
        return new SendCodeInvitation(code, rules.BusinessNumber, link, QrDataUri(link), now.AddSeconds(rules.LifetimeSeconds));
    }

    public static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(code)));

    private static string QrDataUri(string link)
    {
        using var data = QRCodeGenerator.GenerateQrCode(link, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: easy to read aloud
        var bits = bytes.Aggregate(0UL, (acc, b) => (acc << 8) | b);
        var sb = new StringBuilder();
        for (var i = bytes.Length * 8 - 5; i >= 0; i -= 5) sb.Append(alphabet[(int)((bits >> i) & 31)]);
        return sb.ToString();
    }
}
