using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// A WhatsApp notice to the user's verified phone when the phone or a second factor changes (ASVS 6.3.7, NIST
/// 800-63B 4.1.2.1: binding a new authenticator is notified through an independent channel).
/// </summary>
internal sealed class SecurityNotice(ITextSender texts, UserManager<IdpUser> users, IStringLocalizer<SharedResource> t, ILogger<SecurityNotice> log)
{
    /// <param name="key">Resource key of the sentence, e.g. "Account_NoticeTotpEnabled".</param>
    /// <param name="phone">Where to send it; the user's verified phone when null.</param>
    public async Task SendAsync(string userId, string key, string? phone = null, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId);
        phone ??= user is { PhoneNumberConfirmed: true } ? user.PhoneNumber : null;
        if (phone is null) return;
        var locale = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var sent = await texts.SendTextAsync(new TextRequest(phone, t[key], "notice", locale), ct);
        if (sent.Queued) log.LogInformation("Security notice {Key} queued for user {UserId}", key, userId);
        else log.LogWarning("Security notice {Key} for user {UserId} refused by the channel: {Reason}", key, userId, sent.Refusal.Reason);
    }
}
