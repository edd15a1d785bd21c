using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>The codes a browser's login flow may use: those it asked for, alone or along with other browsers.</summary>
internal static class FlowCodes
{
    public static IQueryable<OtpChallenge> CodesOf(this IdpDbContext db, LoginFlow flow)
    {
        var hash = flow.Hash;
        return db.Set<OtpChallenge>().Where(c => db.Set<OtpChallengeFlow>().Any(f => f.ChallengeId == c.Id && f.FlowHash == hash));
    }
}
