using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WaIdentity.WaChannel.Configuration;

/// <summary>Checks every channel setting at start-up; each problem is one "Channel:Key: problem" line.</summary>
internal sealed class ChannelOptionsValidator(IHostEnvironment environment) : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions o)
    {
        var problems = Problems(o).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private IEnumerable<string> Problems(ChannelOptions o)
    {
        const string s = ChannelOptions.Section;
        if (!new[] { "Auto", "Sandbox", "Live" }.Contains(o.Mode, StringComparer.OrdinalIgnoreCase))
            yield return $"{s}:Mode: must be Auto, Sandbox or Live (was '{o.Mode}')";
        else if (string.Equals(o.Mode, "Sandbox", StringComparison.OrdinalIgnoreCase) && !environment.IsDevelopment())
            yield return $"{s}:Mode: Sandbox is only allowed in Development (it exposes the dev inbox; this is {environment.EnvironmentName})";
        else if (string.Equals(o.Mode, "Live", StringComparison.OrdinalIgnoreCase) && !o.WhatsApp.IsConfigured && !o.Sms.IsConfigured)
            yield return $"{s}:Mode: Live needs WhatsApp (AccessToken, PhoneNumberId) or Sms (AccountSid, AuthToken, From) settings";
        foreach (var p in Url($"{s}:PublicBaseUrl", o.PublicBaseUrl)) yield return p;
        if (o.PublicBaseUrl.Length == 0 && o.Sms.IsConfigured && ChannelRuntime.Resolve(o, environment) == ChannelMode.Live)
            yield return $"{s}:PublicBaseUrl: required with SMS in Live mode (the SMS provider posts status callbacks to it, and their signatures cover it)";
        foreach (var p in Url($"{s}:WhatsApp:BaseUrl", o.WhatsApp.BaseUrl)) yield return p;
        foreach (var p in Url($"{s}:Sms:BaseUrl", o.Sms.BaseUrl)) yield return p;
        if (o.WhatsApp.IsConfigured && o.WhatsApp.AppSecret.Length == 0)
            yield return $"{s}:WhatsApp:AppSecret: required with an AccessToken (webhook signatures cannot be checked without it)";
        foreach (var p in QuestionTemplate($"{s}:WhatsApp:QuestionTemplate", o.WhatsApp.QuestionTemplate)) yield return p;
        if (o.Sms.From.Length > 0 && !PhoneNumber.IsE164(o.Sms.From))
            yield return $"{s}:Sms:From: must be an E.164 number like +15005550006 (was '{o.Sms.From}')";
        foreach (var p in Range($"{s}:RetentionDays", o.RetentionDays, 1, 3650)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:PollIntervalMilliseconds", o.Dispatch.PollIntervalMilliseconds, 10, 60_000)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:LeaseSeconds", o.Dispatch.LeaseSeconds, 1, 3600)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:MaxAttempts", o.Dispatch.MaxAttempts, 1, 50)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:RetryBaseMilliseconds", o.Dispatch.RetryBaseMilliseconds, 10, 600_000)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:SendTimeoutSeconds", o.Dispatch.SendTimeoutSeconds, 1, 50)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:UnknownOutcomeWaitSeconds", o.Dispatch.UnknownOutcomeWaitSeconds, 1, 3600)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:Concurrency", o.Dispatch.Concurrency, 1, 64)) yield return p;
        foreach (var p in Range($"{s}:Dispatch:BatchSize", o.Dispatch.BatchSize, 1, 1000)) yield return p;
        foreach (var p in Range($"{s}:Webhooks:BatchSize", o.Webhooks.BatchSize, 1, 1000)) yield return p;
        foreach (var p in Range($"{s}:Webhooks:Concurrency", o.Webhooks.Concurrency, 1, 64)) yield return p;
        foreach (var p in Range($"{s}:Webhooks:LeaseSeconds", o.Webhooks.LeaseSeconds, 1, 3600)) yield return p;
        foreach (var p in Range($"{s}:Webhooks:MaxAttempts", o.Webhooks.MaxAttempts, 1, 100)) yield return p;
        foreach (var p in Range($"{s}:Fallback:CodeWhatsAppAttempts", o.Fallback.CodeWhatsAppAttempts, 1, 10)) yield return p;
        foreach (var p in Range($"{s}:Fallback:CodeWhatsAppSeconds", o.Fallback.CodeWhatsAppSeconds, 1, 60)) yield return p;
        foreach (var p in Range($"{s}:Sandbox:SlowResponseMilliseconds", o.Sandbox.SlowResponseMilliseconds, 0, 600_000)) yield return p;
        foreach (var p in Range($"{s}:Fallback:DeliveredWithinSeconds", o.Fallback.DeliveredWithinSeconds, 1, 3600)) yield return p;
        foreach (var p in Range($"{s}:Fallback:CheckIntervalSeconds", o.Fallback.CheckIntervalSeconds, 1, 3600)) yield return p;
        foreach (var p in Range($"{s}:Sandbox:StatusDelayMilliseconds", o.Sandbox.StatusDelayMilliseconds, 0, 60_000)) yield return p;
        foreach (var p in Range($"{s}:Limits:PerPhonePerHour", o.Limits.PerPhonePerHour, 1, 1_000_000)) yield return p;
        foreach (var p in Range($"{s}:Limits:PerIpPerHour", o.Limits.PerIpPerHour, 1, 1_000_000)) yield return p;
        foreach (var p in Range($"{s}:Limits:PerCountryPerHour", o.Limits.PerCountryPerHour, 1, 100_000_000)) yield return p;
        foreach (var p in Range($"{s}:Limits:DailyBudget", o.Limits.DailyBudget, 1, 100_000_000)) yield return p;
        foreach (var cc in o.Limits.AllowedCountryCodes.Where(c => c != "*" && !System.Text.RegularExpressions.Regex.IsMatch(c, "^[1-9][0-9]{0,2}$")))
            yield return $"{s}:Limits:AllowedCountryCodes: '{cc}' is not a country calling code (digits, e.g. 62, or * for every country)";
        foreach (var p in o.Limits.DeniedPrefixes.Where(p => !System.Text.RegularExpressions.Regex.IsMatch(p, "^[1-9][0-9]{0,13}$")))
            yield return $"{s}:Limits:DeniedPrefixes: '{p}' is not a number prefix (digits without '+', e.g. 882)";
        foreach (var p in Range($"{s}:Limits:CountriesPerIpPerDay", o.Limits.CountriesPerIpPerDay, 1, 300)) yield return p;
        foreach (var p in Range($"{s}:Limits:PerPrefixPerHour", o.Limits.PerPrefixPerHour, 1, 1_000_000)) yield return p;
        foreach (var p in Range($"{s}:Limits:PrefixBlockDigits", o.Limits.PrefixBlockDigits, 1, 6)) yield return p;
        foreach (var p in Range($"{s}:Limits:IpShareOfDailyBudgetPercent", o.Limits.IpShareOfDailyBudgetPercent, 1, 100)) yield return p;
        foreach (var p in Range($"{s}:Limits:PrefixShareOfDailyBudgetPercent", o.Limits.PrefixShareOfDailyBudgetPercent, 1, 100)) yield return p;
    }

    /// <summary>Meta's rules: a template name is lowercase letters, digits and underscores; a language is like en, en_US or pt_BR.</summary>
    private static IEnumerable<string> QuestionTemplate(string key, QuestionTemplateOptions t)
    {
        if (t.Name.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(t.Name, "^[a-z0-9_]{1,512}$"))
            yield return $"{key}:Name: a template name is lowercase letters, digits and underscores (was '{t.Name}')";
        if (t.Name.Length > 0 && t.Languages.Count == 0)
            yield return $"{key}:Languages: name the template's language for each locale, e.g. Languages:en = en_US";
        if (t.Name.Length == 0 && t.Languages.Count > 0)
            yield return $"{key}:Name: required with Languages";
        foreach (var (locale, language) in t.Languages.Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l.Value, "^[a-z]{2,3}(_[A-Z]{2})?$")))
            yield return $"{key}:Languages:{locale}: '{language}' is not a WhatsApp template language (like en, en_US, id)";
    }

    private static IEnumerable<string> Url(string key, string value)
    {
        if (value.Length > 0 && !(Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == "https" || u.Scheme == "http")))
            yield return $"{key}: must be an absolute http(s) URL (was '{value}')";
    }

    private static IEnumerable<string> Range(string key, int value, int min, int max)
    {
        if (value < min || value > max) yield return $"{key}: must be between {min} and {max} (was {value})";
    }
}
