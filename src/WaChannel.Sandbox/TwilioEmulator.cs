using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// POST /sandbox/twilio/2010-04-01/Accounts/{sid}/Messages.json: Basic auth, form fields and E.164 checked as Twilio
/// does; 201 with the Message resource, then signed status callbacks to the StatusCallback URL.
/// </summary>
internal static partial class TwilioEmulator
{
    public const string Prefix = "/sandbox/twilio";

    [GeneratedRegex(@"\b[0-9]{4,10}\b")]
    private static partial Regex CodeLike();

    public static async Task<IResult> SendAsync(
        string accountSid, HttpRequest request, ProviderEndpoints endpoints, SandboxFaults faults, ChannelDbContext db,
        SandboxStatusSender statuses, IOptions<ChannelOptions> options, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (!BasicMatches(request, accountSid, endpoints)) return Error(401, 20003, "Authenticate");
        if (!request.HasFormContentType) return Error(400, 21602, "Message body is required.");
        var form = await request.ReadFormAsync(ct);
        var to = form["To"].ToString();
        var body = form["Body"].ToString();
        var callback = form["StatusCallback"].ToString();
        if (form["From"].ToString().Length == 0 && form["MessagingServiceSid"].ToString().Length == 0) return Error(400, 21603, "A 'From' phone number is required.");
        if (body.Length == 0) return Error(400, 21602, "Message body is required.");
        var sandbox = options.Value.Sandbox;
        if (!PhoneNumber.IsE164(to) || sandbox.InvalidNumbers.Contains(to)) return Error(400, 21211, $"Invalid 'To' Phone Number: {to}");

        var fault = faults.Take("sms");
        if (fault == "server-error") return Error(500, 20500, "Internal Server Error");
        if (fault == "rate-limit") return Error(429, 20429, "Too Many Requests");
        if (fault == "slow")
        {
            // Carries on when the caller gives up: the message is accepted (and reported) all the same.
            await Task.Delay(sandbox.SlowResponseMilliseconds, lifetime.ApplicationStopping);
            ct = lifetime.ApplicationStopping;
        }

        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string[] reports = callback.Length == 0 ? []
            : fault == "undeliverable" ? ["undelivered:30003"] : sandbox.UnreachableNumbers.Contains(to) ? ["sent"] : ["sent", "delivered"];
        db.Add(new SandboxMessage
        {
            Id = sid, Channel = "sms", Phone = to, Text = body, Code = CodeLike().Match(body) is { Success: true } m ? m.Value : null,
            CallbackUrl = callback.Length > 0 ? callback : null, State = "queued", CreatedAt = DateTimeOffset.UtcNow,
            PendingStatuses = reports.Length > 0 ? string.Join(',', reports) : null,
        });
        await db.SaveChangesAsync(ct);
        if (reports.Length > 0) statuses.Schedule(sid, reports);
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return Results.Json(new JsonObject
        {
            ["sid"] = sid, ["account_sid"] = accountSid, ["messaging_service_sid"] = null, ["to"] = to, ["from"] = form["From"].ToString(),
            ["body"] = body, ["status"] = "queued", ["num_segments"] = "1", ["num_media"] = "0", ["direction"] = "outbound-api",
            ["api_version"] = "2010-04-01", ["price"] = null, ["price_unit"] = "USD", ["error_code"] = null, ["error_message"] = null,
            ["date_created"] = now, ["date_updated"] = now, ["date_sent"] = null,
            ["uri"] = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json",
        }, statusCode: 201);
    }

    private static bool BasicMatches(HttpRequest request, string accountSid, ProviderEndpoints endpoints)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return false;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])); }
        catch (FormatException) { return false; }
        var expected = $"{endpoints.SmsAccountSid}:{endpoints.SmsAuthToken}";
        return accountSid == endpoints.SmsAccountSid && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes(expected));
    }

    private static IResult Error(int status, int code, string message) => Results.Json(new JsonObject
    {
        ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status,
    }, statusCode: status);
}
