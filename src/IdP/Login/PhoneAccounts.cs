using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login;

/// <summary>Finds the account of a proven phone, or registers one (phone_number_verified = true) when the policy allows.</summary>
internal sealed class PhoneAccounts(UserManager<IdpUser> users, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    public async Task<IdpUser?> FindOrRegisterAsync(string phone, CancellationToken ct)
    {
        var user = await users.Users.FirstOrDefaultAsync(u => u.PhoneNumber == phone, ct);
        if (user is not null)
        {
            if (!user.PhoneNumberConfirmed)
            {
                user.PhoneNumberConfirmed = true;
                await users.UpdateAsync(user);
            }
            return user;
        }
        if (!options.CurrentValue.AutoRegister) return null;
        user = new IdpUser { UserName = phone, PhoneNumber = phone, PhoneNumberConfirmed = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            throw new InvalidOperationException("Could not register phone account: " + string.Join("; ", created.Errors.Select(e => e.Code)));
        return user;
    }
}
