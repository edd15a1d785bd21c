namespace WaIdentity.IdP.Gateway.SelfService;

/// <summary>A self-registered app as its owner (developer page) and admins (portal) see it: never a secret or key.</summary>
internal sealed record DeveloperApp(
    string ClientId, string Name, string OwnerUserId, DateTimeOffset CreatedAt, bool Disabled, IReadOnlyList<string> Scopes,
    string? WebhookUrl, bool HasWebhookSecret, DateTimeOffset? ApprovedAt, bool AwaitingApproval, int? DailyMessageQuota, int? DailyVerificationQuota);

/// <summary>Today's use of an app's daily quotas (UTC day) against the limit in force for it.</summary>
internal sealed record QuotaUse(int MessagesUsed, int MessageLimit, int VerificationsUsed, int VerificationLimit);

/// <summary>What registering an app came to: the app and its client secret (shown once), or why not.</summary>
internal sealed record AppRegistration(DeveloperApp? App, string? Secret, AppRegistrationRefusal? Refusal);

internal enum AppRegistrationRefusal { Off, BadName, TooMany }
