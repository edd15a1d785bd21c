using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Sessions;

internal sealed class SessionOptions : IValidatableOptions
{
    public const string Section = "Sessions";

    /// <summary>Absolute session lifetime (NIST 800-63B: at most 30 days at AAL1).</summary>
    public int AbsoluteLifetimeHours { get; set; } = 24 * 14;

    /// <summary>A session unused this long ends.</summary>
    public int IdleTimeoutHours { get; set; } = 24;

    public IEnumerable<string> Validate(string section) =>
        OptionRules.InRange($"{section}:AbsoluteLifetimeHours", AbsoluteLifetimeHours, 1, 24 * 30)
            .Concat(OptionRules.InRange($"{section}:IdleTimeoutHours", IdleTimeoutHours, 1, 24 * 30));
}
