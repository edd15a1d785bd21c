using Microsoft.AspNetCore.Identity;

namespace WaIdentity.IdP.Users;

/// <summary>
/// One person. Phone-only users (WhatsApp login) have no password; <see cref="IdentityUser.PhoneNumber"/> holds
/// the canonical E.164 form, which is also the key every rate limit uses.
/// </summary>
internal sealed class IdpUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
