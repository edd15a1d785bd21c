using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// Ten single-use recovery codes per user, shown once. Each has 80 random bits (NIST 800-63B 4.2: at least 64) in
/// base32 groups (XXXX-XXXX-XXXX-XXXX); only a salted SHA-256 is kept (ASVS 6.5.2).
/// </summary>
internal sealed class RecoveryCodeStore(IdpDbContext db, TimeProvider clock)
{
    public const int Count = 10;

    /// <summary>Replaces every earlier code of the user; returns the new codes for showing once.</summary>
    public async Task<IReadOnlyList<string>> RegenerateAsync(string userId, CancellationToken ct)
    {
        await RemoveAsync(userId, ct);
        var now = clock.GetUtcNow();
        var codes = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            var code = string.Join('-', OtpNet.Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).Chunk(4).Select(c => new string(c)));
            var id = Guid.NewGuid().ToString("N");
            db.Set<RecoveryCode>().Add(new RecoveryCode { Id = id, UserId = userId, CodeHash = Hash(id, code), CreatedAt = now });
            codes.Add(code);
        }
        await db.SaveChangesAsync(ct);
        return codes;
    }

    /// <summary>Consumes the matching unused code (one conditional UPDATE: a code works once, even when posted twice at once).</summary>
    public async Task<bool> UseAsync(string userId, string typed, CancellationToken ct)
    {
        var code = Canonical(typed);
        if (code is null) return false;
        var unused = await db.Set<RecoveryCode>().AsNoTracking().Where(c => c.UserId == userId && c.UsedAt == null).ToListAsync(ct);
        RecoveryCode? match = null;
        foreach (var c in unused)
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(c.Id, code)), Encoding.ASCII.GetBytes(c.CodeHash))) match = c;
        if (match is null) return false;
        var now = clock.GetUtcNow();
        return await db.Set<RecoveryCode>().Where(c => c.Id == match.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now), ct) == 1;
    }

    public Task<int> RemainingAsync(string userId, CancellationToken ct) =>
        db.Set<RecoveryCode>().CountAsync(c => c.UserId == userId && c.UsedAt == null, ct);

    public Task<int> RemoveAsync(string userId, CancellationToken ct) =>
        db.Set<RecoveryCode>().Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);

    /// <summary>Upper case, dashes where they belong, so "abcd efgh..." and "ABCD-EFGH-..." are the same code.</summary>
    private static string? Canonical(string? typed)
    {
        var chars = (typed ?? "").ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray();
        return chars.Length == 16 ? string.Join('-', chars.Chunk(4).Select(c => new string(c))) : null;
    }

    private static string Hash(string salt, string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(salt + ":" + code)));
}
