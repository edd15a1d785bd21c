using Microsoft.Extensions.Options;
using WaIdentity.IdP.RateLimiting;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>What a user code typed on the verification page leads to.</summary>
internal abstract record UserCodeLookup
{
    public sealed record Found(DeviceAuthorization Row, string UserCode) : UserCodeLookup;
    /// <summary>Not a code's shape (wrong length or letters): no lookup, nothing counted.</summary>
    public sealed record Malformed : UserCodeLookup;
    /// <summary>No pending request has it (wrong, expired, already answered).</summary>
    public sealed record Unknown : UserCodeLookup;
    public sealed record Limited(TimeSpan Wait) : UserCodeLookup;
}

/// <summary>
/// Looks up a typed user code under the guessing limits (RFC 8628 5.1): wrong codes per address per hour, and per
/// hour from everyone together (a guesser with many addresses meets that one). Every lookup counts first and a right
/// code is given back, so a limited caller learns nothing about the code it sent, right or wrong.
/// </summary>
internal sealed class DeviceUserCodeLimit(FixedWindowLimiter limiter, DeviceAuthorizationStore store, TimeProvider clock, IOptions<OidcOptions> options)
{
    private const string IpBucket = "oidc.device.usercode.ip";
    private const string GlobalBucket = "oidc.device.usercode";
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task<UserCodeLookup> FindAsync(string? entered, string clientIp, CancellationToken ct)
    {
        if (UserCode.Normalize(entered) is not { } code) return new UserCodeLookup.Malformed();
        var byIp = await limiter.HitAsync(IpBucket, clientIp, options.Value.DeviceUserCodeTriesPerIpPerHour, Window, ct);
        var all = await limiter.HitAsync(GlobalBucket, "all", options.Value.DeviceUserCodeTriesPerHour, Window, ct);
        if (!byIp.Allowed || !all.Allowed)
        {
            var now = clock.GetUtcNow();
            return new UserCodeLookup.Limited(byIp.Allowed ? all.RetryAfter(now) : byIp.RetryAfter(now));
        }
        if (await store.FindPendingAsync(code, ct) is not { } row) return new UserCodeLookup.Unknown();
        await limiter.RefundAsync(IpBucket, clientIp, Window, byIp, ct);
        await limiter.RefundAsync(GlobalBucket, "all", Window, all, ct);
        return new UserCodeLookup.Found(row, code);
    }
}
