using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>Where a flow's send-code challenge stands, as the waiting page polls it.</summary>
/// <param name="Sender">Once proven: the sender's number, masked. The page asks "Continue as …?" with it, so a browser
/// is never signed in to an account its user does not recognise (login CSRF by a stranger sending the shown code).</param>
/// <param name="ProfileName">The sender's self-chosen WhatsApp name: untrusted, shown only beside <paramref name="Sender"/>.</param>
internal sealed record SendCodeState(string State, string? ProfileName, string? Sender = null);

/// <summary>Reads a flow's challenge and, once proven, consumes it exactly once (conditional UPDATE).</summary>
internal sealed class SendCodeCompletion(IdpDbContext db, TimeProvider clock)
{
    public async Task<SendCodeState> ReadAsync(LoginFlow flow, CancellationToken ct)
    {
        var c = await Latest(flow).AsNoTracking().FirstOrDefaultAsync(ct);
        if (c is null || c.ConsumedAt is not null) return new("expired", null);
        return c.Stage(clock.GetUtcNow()) switch
        {
            SentCodeStage.Refused => new("refused", null),
            SentCodeStage.Proven => new("proven", c.ProfileName, MaskedPhone.Of(c.ProvenPhone!)),
            SentCodeStage.Expired => new("expired", null),
            _ => new("waiting", null),
        };
    }

    /// <summary>The proven phone, or null when there is nothing (left) to complete.</summary>
    public async Task<string?> ConsumeAsync(LoginFlow flow, CancellationToken ct)
    {
        var c = await Latest(flow).AsNoTracking().FirstOrDefaultAsync(ct);
        if (c?.ProvenPhone is null || c.Refused) return null;
        var now = clock.GetUtcNow();
        var taken = await db.Set<LoginSendCode>().Where(x => x.Id == c.Id && x.ConsumedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ConsumedAt, now), ct);
        return taken == 1 ? c.ProvenPhone : null;
    }

    private IQueryable<LoginSendCode> Latest(LoginFlow flow) =>
        db.Set<LoginSendCode>().Where(c => c.FlowHash == flow.Hash).OrderByDescending(c => c.CreatedAt);
}
