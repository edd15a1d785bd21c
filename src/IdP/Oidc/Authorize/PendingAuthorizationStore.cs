using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>Saves an authorization request while the user logs in or consents, and gives it back by id on any node.</summary>
internal sealed class PendingAuthorizationStore(IdpDbContext db, TimeProvider clock, IOptions<OidcOptions> options)
{
    public static string ResumeUrl(string id) => $"{OidcConstants.AuthorizePath}?request_id={Uri.EscapeDataString(id)}";

    /// <summary>Saves <paramref name="request"/> (or updates the pending row it came from) and returns its id.</summary>
    public async Task<string> SaveAsync(AuthorizeRequest request, PendingAuthorization? existing, bool loginRequested, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = existing ?? new PendingAuthorization
        {
            Id = OpaqueToken.New(), ClientId = request.ClientId!, CreatedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.PendingRequestMinutes),
        };
        row.Parameters = JsonSerializer.Serialize(request.Parameters);
        if (loginRequested) row.LoginRequestedAt = now;
        if (existing is null) db.Set<PendingAuthorization>().Add(row);
        else db.Set<PendingAuthorization>().Update(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task<(PendingAuthorization Row, AuthorizeRequest Request)?> FindAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = await db.Set<PendingAuthorization>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.ExpiresAt > now, ct);
        if (row is null) return null;
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Parameters) ?? [];
        return (row, new AuthorizeRequest(parameters));
    }

    public Task DeleteAsync(string id, CancellationToken ct) =>
        db.Set<PendingAuthorization>().Where(p => p.Id == id).ExecuteDeleteAsync(ct);
}
