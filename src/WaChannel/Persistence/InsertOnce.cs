using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace WaIdentity.WaChannel.Persistence;

/// <summary>
/// Records an event whose row's key says it happened (a message reached a state, an inbound message arrived), so that
/// of two workers handling the same report only one goes on: a lookup first, then the key's unique index for the race.
/// </summary>
internal static class InsertOnce
{
    /// <returns>True when this call inserted the row; false when a row with its key was there, or came first.</returns>
    public static async Task<bool> InsertOnceAsync<T>(this DbContext db, T row, Expression<Func<T, bool>> sameKey, CancellationToken ct)
        where T : class
    {
        var rows = db.Set<T>();
        if (await rows.AnyAsync(sameKey, ct)) return false;
        rows.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another worker inserted the same key between our lookup and insert.
            db.Entry(row).State = EntityState.Detached;
            return false;
        }
    }
}
