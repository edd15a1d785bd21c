using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// One send-code login: the browser shows a code, the user sends it from WhatsApp, the inbound message proves the
/// sender's number (<see cref="SentCodeChallenges"/>). Single use, short-lived, bound to the browser flow that shows it;
/// <see cref="SentCodeChallenge.ExpectedPhone"/> comes from login_hint.
/// </summary>
internal sealed class LoginSendCode : SentCodeChallenge
{
    public string FlowHash { get; set; } = "";
    /// <summary>When the browser completed the login with the proven number (once).</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
    /// <summary>The W3C trace context of the request that showed the code, so the inbound message that proves it is
    /// placed in the login's trace (<see cref="LoginTracing"/>); null when untraced.</summary>
    public string? TraceParent { get; set; }
}

internal sealed class LoginSendCodeConfiguration : IEntityTypeConfiguration<LoginSendCode>
{
    public void Configure(EntityTypeBuilder<LoginSendCode> e)
    {
        e.ToTable("LoginSendCodes");
        SentCodeChallenge.Configure(e);
        e.Property(c => c.FlowHash).HasMaxLength(64);
        e.Property(c => c.TraceParent).HasMaxLength(55);
        e.HasIndex(c => c.FlowHash);
    }
}
