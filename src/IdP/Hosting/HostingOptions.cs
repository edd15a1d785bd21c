using System.Net;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Hosting;

internal sealed class HostingOptions : IValidatableOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: the socket's address is the client,
    /// and a client cannot pick its own rate-limit key by sending the header.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Seconds in-flight requests get to finish on SIGTERM before the process exits.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest request body accepted (bytes); a larger one is answered 413 before it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;

    public IEnumerable<string> Validate(string section)
    {
        for (var i = 0; i < TrustedProxies.Length; i++)
            if (!IPAddress.TryParse(TrustedProxies[i], out _))
                yield return $"{section}:TrustedProxies:{i}: must be an IP address (got '{TrustedProxies[i]}')";
        foreach (var p in OptionRules.InRange($"{section}:ShutdownTimeoutSeconds", ShutdownTimeoutSeconds, 1, 600)) yield return p;
        foreach (var p in OptionRules.InRange($"{section}:MaxRequestBodyBytes", MaxRequestBodyBytes, 65_536, 104_857_600)) yield return p;
    }
}
