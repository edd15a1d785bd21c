using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>A stored number today's rules would not accept as typed, and why; Canonical when it has another canonical form.</summary>
internal sealed record StoredPhoneProblem(string UserId, string Phone, string Problem, string? Canonical);

/// <summary>
/// Finds the accounts whose stored number the numbering plans (libphonenumber) call invalid, or whose number is not in
/// its canonical form (e.g. "+4407700900123", stored before the trunk "0" was dropped). Nothing is changed: such a
/// number still signs its owner in, and an operator decides with the owner what to do.
/// </summary>
internal sealed class StoredPhoneCheck(UserManager<IdpUser> users)
{
    public async Task<IReadOnlyList<StoredPhoneProblem>> FindAsync(CancellationToken ct)
    {
        var stored = await users.Users.Where(u => u.PhoneNumber != null && u.PhoneNumber != "")
            .OrderBy(u => u.Id).Select(u => new { u.Id, u.PhoneNumber }).ToListAsync(ct);
        var problems = new List<StoredPhoneProblem>();
        foreach (var user in stored)
        {
            var read = PhoneNumberNormalizer.Normalize(user.PhoneNumber, "ZZ");
            if (read.Ok && read.E164 == user.PhoneNumber) continue;
            var problem = read.Problem switch
            {
                null => "not canonical",
                PhoneProblem.NotMobile => "not a mobile number",
                PhoneProblem.TooShort => "too short for its country",
                PhoneProblem.TooLong => "too long for its country",
                _ => "not a valid number",
            };
            problems.Add(new(user.Id, user.PhoneNumber!, problem, read.E164 ?? read.Refused));
        }
        return problems;
    }
}
