namespace WaIdentity.WaChannel.Persistence;

/// <summary>A message a simulated phone received (or sent, when <see cref="Inbound"/>), as the emulators saw it on the wire.</summary>
public sealed class SandboxMessage
{
    /// <summary>The provider id the emulator issued (wamid... or SM...).</summary>
    public string Id { get; set; } = "";
    /// <summary>"whatsapp" or "sms".</summary>
    public string Channel { get; set; } = "";
    /// <summary>The simulated phone, E.164.</summary>
    public string Phone { get; set; } = "";
    public bool Inbound { get; set; }
    public string Text { get; set; } = "";
    public string? Code { get; set; }
    /// <summary>biz_opaque_callback_data (Cloud API) as sent by the app.</summary>
    public string? Correlation { get; set; }
    /// <summary>Twilio StatusCallback URL.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>Last status the emulator reported: accepted, sent, delivered, read, failed.</summary>
    public string State { get; set; } = "accepted";
    /// <summary>The status reports still to post, in order ("sent,delivered", "failed:131026"): kept in the database so
    /// that a restart resumes them, as a real provider retries its webhooks, instead of leaving the message unreported.</summary>
    public string? PendingStatuses { get; set; }
    /// <summary>The reply buttons under the message (the sandbox's buttons as JSON), null without.</summary>
    public string? Buttons { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
