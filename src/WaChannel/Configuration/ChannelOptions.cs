namespace WaIdentity.WaChannel.Configuration;

/// <summary>Settings under "Channel". Credentials come from here only; they are never written to the database or logs.</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channel";

    /// <summary>Auto (Sandbox in Development or when no provider is configured outside Production), Sandbox, or Live.</summary>
    public string Mode { get; set; } = "Auto";

    /// <summary>Public URL of this IdP (scheme://host[:port]), used for SMS status callbacks. Empty: the listening address.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Days the message log keeps finished messages and their history.</summary>
    public int RetentionDays { get; set; } = 90;

    public WhatsAppOptions WhatsApp { get; set; } = new();
    public SmsOptions Sms { get; set; } = new();
    public DispatchOptions Dispatch { get; set; } = new();
    public WebhookProcessingOptions Webhooks { get; set; } = new();
    public FallbackOptions Fallback { get; set; } = new();
    public SandboxOptions Sandbox { get; set; } = new();
    public LimitOptions Limits { get; set; } = new();
}

/// <summary>
/// A UTILITY template with body parameters and quick-reply buttons, approved on the business account: questions with
/// reply buttons go as this template, which reaches a person whether or not they wrote in the last 24 hours.
/// </summary>
public sealed class QuestionTemplateOptions
{
    /// <summary>Empty: no template; a question is an interactive message, delivered only inside the 24-hour window.</summary>
    public string Name { get; set; } = "";
    /// <summary>Locale -> the template's language code on the business account (e.g. "en" -> "en_US").</summary>
    public Dictionary<string, string> Languages { get; set; } = [];

    public bool IsConfigured => Name.Length > 0;

    /// <summary>The language for a locale: the exact one, else its primary language, else English; null: no template for it.</summary>
    public string? LanguageFor(string locale)
    {
        if (!IsConfigured) return null;
        var primary = locale.Split('-', '_')[0].ToLowerInvariant();
        return Languages.TryGetValue(locale, out var exact) ? exact
            : Languages.TryGetValue(primary, out var byPrimary) ? byPrimary
            : Languages.GetValueOrDefault("en");
    }
}

public sealed class WhatsAppOptions
{
    /// <summary>Graph API base including the pinned version. Empty in Sandbox: the built-in emulator.</summary>
    public string BaseUrl { get; set; } = "";
    public string PhoneNumberId { get; set; } = "";
    /// <summary>WhatsApp Business Account id: where the message templates live (the admin portal's template check).</summary>
    public string BusinessAccountId { get; set; } = "";
    public string AccessToken { get; set; } = "";
    /// <summary>Meta app secret: key of X-Hub-Signature-256 on webhooks.</summary>
    public string AppSecret { get; set; } = "";
    /// <summary>hub.verify_token of the GET handshake.</summary>
    public string VerifyToken { get; set; } = "";
    public string TemplateName { get; set; } = "one_time_password";
    /// <summary>Locale -> approved template language code.</summary>
    public Dictionary<string, string> TemplateLanguages { get; set; } = new() { ["en"] = "en_US", ["id"] = "id" };
    /// <summary>The template questions with reply buttons go as (see ReplyButtons); none by default.</summary>
    public QuestionTemplateOptions QuestionTemplate { get; set; } = new();

    public bool IsConfigured => AccessToken.Length > 0 && PhoneNumberId.Length > 0;
}

public sealed class SmsOptions
{
    /// <summary>Twilio-style API base. Empty in Sandbox: the built-in emulator; in Live: https://api.twilio.com.</summary>
    public string BaseUrl { get; set; } = "";
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
    public string From { get; set; } = "";
    /// <summary>Locale -> SMS text; {0} is the code.</summary>
    public Dictionary<string, string> CodeTexts { get; set; } = new()
    {
        ["en"] = "Your WaIdentity code is {0}. Do not share it.",
        ["id"] = "Kode WaIdentity Anda {0}. Jangan bagikan kode ini.",
    };

    public bool IsConfigured => AccountSid.Length > 0 && AuthToken.Length > 0 && From.Length > 0;
}

public sealed class DispatchOptions
{
    /// <summary>False stops this node from sending (the outbox still fills); for maintenance and tests.</summary>
    public bool Enabled { get; set; } = true;
    public int PollIntervalMilliseconds { get; set; } = 1000;
    /// <summary>How long a claimed message is reserved for the node sending it; renewed every third of it while the
    /// provider call runs, so a node that dies delays its messages by at most this long.</summary>
    public int LeaseSeconds { get; set; } = 10;
    public int MaxAttempts { get; set; } = 5;
    /// <summary>First retry delay; doubles per attempt, capped at 5 minutes.</summary>
    public int RetryBaseMilliseconds { get; set; } = 1000;
    /// <summary>How long one provider call may take. Past it the outcome is unknown: the provider may still accept
    /// the message, so it is not sent again on the same channel at once.</summary>
    public int SendTimeoutSeconds { get; set; } = 10;
    /// <summary>After a call whose outcome is unknown: how long a status report from the provider may take before the
    /// message is sent again on the same channel (a report means the provider has it, and ends the question).</summary>
    public int UnknownOutcomeWaitSeconds { get; set; } = 30;
    /// <summary>Provider calls one node makes at once, so one slow call never holds the other messages.</summary>
    public int Concurrency { get; set; } = 8;
    /// <summary>Due messages one node looks at per turn (besides those it is already sending).</summary>
    public int BatchSize { get; set; } = 32;
}

public sealed class WebhookProcessingOptions
{
    /// <summary>Stored webhook events one claim takes (in one statement) and one lease covers.</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>Batches of events one node handles at once.</summary>
    public int Concurrency { get; set; } = 4;
    /// <summary>How long a claimed batch is reserved for the node handling it; renewed while it is handled.</summary>
    public int LeaseSeconds { get; set; } = 30;
    /// <summary>Tries before an event that cannot be handled (junk, or a status for a message never sent) is set aside.</summary>
    public int MaxAttempts { get; set; } = 20;
}

public sealed class FallbackOptions
{
    /// <summary>Under WhatsAppOrSms: no `delivered` report within this many seconds of the request sends the code by
    /// SMS as well (a phone that is off, or a report lost on the way).</summary>
    public int DeliveredWithinSeconds { get; set; } = 60;
    public int CheckIntervalSeconds { get; set; } = 5;
    /// <summary>Under WhatsAppOrSms: a code goes by SMS after this many failed WhatsApp tries ...</summary>
    public int CodeWhatsAppAttempts { get; set; } = 2;
    /// <summary>... or once this many seconds passed since the request without WhatsApp accepting it, whichever first.</summary>
    public int CodeWhatsAppSeconds { get; set; } = 5;
}

public sealed class SandboxOptions
{
    /// <summary>Delay before the emulators post each status webhook.</summary>
    public int StatusDelayMilliseconds { get; set; } = 300;
    /// <summary>Numbers the Cloud API emulator accepts and later reports `failed` (131026), as for a number without WhatsApp.</summary>
    public List<string> NoWhatsAppNumbers { get; set; } = [];
    /// <summary>Numbers both emulators refuse at once as invalid (Cloud API 100, SMS 21211).</summary>
    public List<string> InvalidNumbers { get; set; } = [];
    /// <summary>Numbers whose messages get `sent` but never `delivered` (phone off).</summary>
    public List<string> UnreachableNumbers { get; set; } = [];
    /// <summary>Template languages (e.g. "id") the Cloud API emulator starts without, as on a new business account.</summary>
    public List<string> MissingTemplateLanguages { get; set; } = [];
    /// <summary>How long the emulators take to answer a send made slow by the dev inbox's "slow" failure.</summary>
    public int SlowResponseMilliseconds { get; set; } = 15_000;
}

public sealed class LimitOptions
{
    /// <summary>Code sends to one phone per hour, for every purpose (login, second factor, phone change, gateway verification): the one per-phone send limit.</summary>
    public int PerPhonePerHour { get; set; } = 10;
    public int PerIpPerHour { get; set; } = 30;
    public int PerCountryPerHour { get; set; } = 500;
    public int DailyBudget { get; set; } = 10_000;
    /// <summary>Country calling codes codes may be sent to (e.g. "62", "1"); "*" allows every country. Empty: only <see cref="HomeCountryCode"/>.</summary>
    public List<string> AllowedCountryCodes { get; set; } = [];
    /// <summary>
    /// The country an empty allow-list stands for. Not a setting of its own: the host sets it from its default
    /// country (Login:DefaultCountryCode), so one setting names the home country.
    /// </summary>
    public string HomeCountryCode { get; set; } = "62";
    /// <summary>
    /// Prefixes (calling code and leading digits, no "+") no code is ever sent to, whatever the allow-list says:
    /// non-geographic and premium services that SMS pumping uses (international networks, satellite, premium rate).
    /// </summary>
    public List<string> DeniedPrefixes { get; set; } = ["800", "808", "870", "878", "881", "882", "883", "888", "979"];
    /// <summary>Distinct countries one IP may request codes for in a day.</summary>
    public int CountriesPerIpPerDay { get; set; } = 3;
    /// <summary>Codes per hour to one number block (the E.164 form without its last <see cref="PrefixBlockDigits"/> digits).</summary>
    public int PerPrefixPerHour { get; set; } = 10;
    /// <summary>Trailing digits that vary within a number block: 3 makes blocks of 1,000 sequential numbers.</summary>
    public int PrefixBlockDigits { get; set; } = 3;
    /// <summary>The share (percent) of <see cref="DailyBudget"/> one IP may use in a day.</summary>
    public int IpShareOfDailyBudgetPercent { get; set; } = 5;
    /// <summary>The share (percent) of <see cref="DailyBudget"/> one number block may use in a day.</summary>
    public int PrefixShareOfDailyBudgetPercent { get; set; } = 2;

    public bool AllowsCountry(string callingCode) =>
        AllowedCountryCodes.Contains("*") || (AllowedCountryCodes.Count == 0 ? HomeCountryCode == callingCode : AllowedCountryCodes.Contains(callingCode));

    /// <summary>A percent of the daily budget as a count of sends, at least one.</summary>
    public int Share(int percent) => Math.Max(1, (int)((long)DailyBudget * percent / 100));
}
