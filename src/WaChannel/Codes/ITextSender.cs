namespace WaIdentity.WaChannel.Codes;

/// <summary>
/// Free-text messages (notices, replies, gateway notifications). Like codes, a text is written to the outbox before
/// any network call and delivered in the background; <see cref="ICodeSender.GetStatusAsync"/> reads its state.
/// On WhatsApp a free text only reaches a user who wrote to the business number in the last 24 hours (error 131047
/// otherwise); the policy's SMS fallback covers that case.
/// </summary>
public interface ITextSender
{
    /// <summary>Queues the text, or refuses it like a code (<see cref="ICodeSender.SendCodeAsync"/>) and writes nothing.</summary>
    Task<SendResult> SendTextAsync(TextRequest request, CancellationToken ct = default);

    /// <summary>
    /// Queues a text to a WhatsApp group through the linked gateway device (the Cloud API cannot post to groups).
    /// Refused with <see cref="SendRefusalReason.GroupsUnavailable"/> when the device is off; while the device is not WORKING the message waits
    /// for it (Channel:Device:MessageWaitSeconds) and is sent as soon as it works.
    /// </summary>
    Task<SendResult> SendGroupTextAsync(GroupTextRequest request, CancellationToken ct = default);
}

/// <param name="GroupId">A group chat id, see <see cref="GroupChatId"/>.</param>
public sealed record GroupTextRequest(string GroupId, string Text, string Purpose);

/// <param name="Phone">E.164 with a leading '+', ASCII digits only.</param>
/// <param name="Text">1 to <see cref="MaxLength"/> characters, sent as is (WhatsApp renders no HTML).</param>
/// <param name="Purpose">Free text the channel only logs and counts by, e.g. "notice" or "api".</param>
/// <param name="Limited">Checked against and counted in the send limits like a code (<c>Channel:Limits</c>): for a text
/// that someone other than the phone's owner can make us send, e.g. a question asked on a stranger's request.</param>
/// <param name="ClientIp">For a <paramref name="Limited"/> text, the requesting address (the per-IP limits); null skips those.</param>
/// <param name="ThroughDevice">Sent by the linked gateway device (a chat from the business number's phone, which has no
/// 24-hour rule), not the Cloud API; no SMS fallback. Refused with <see cref="SendRefusalReason.DeviceUnavailable"/> when the device is off.</param>
/// <param name="Buttons">Makes the text a question with reply buttons, see <see cref="ReplyButtons"/>. A channel without
/// buttons (SMS, the linked device) sends <paramref name="Text"/> alone, so the text must also say how to answer by typing.</param>
public sealed record TextRequest(
    string Phone,
    string Text,
    string Purpose,
    string Locale,
    DeliveryPolicy Policy = DeliveryPolicy.WhatsAppOrSms,
    bool Limited = false,
    string? ClientIp = null,
    bool ThroughDevice = false,
    ReplyButtons? Buttons = null)
{
    /// <summary>The Cloud API's limit for a text body.</summary>
    public const int MaxLength = 4096;
}

/// <summary>
/// Reply buttons under a question. On the Cloud API the question goes as the question template
/// (Channel:WhatsApp:QuestionTemplate) when one is configured for the locale: it is delivered whether or not the person
/// wrote in the last 24 hours; the template holds its own body and button titles, filled with
/// <paramref name="TemplateParameters"/> in order, and the buttons' payloads come from here, in order. Without a
/// template the question is an interactive message with these buttons under the text, which WhatsApp delivers only
/// inside the 24-hour window. A press comes back as an inbound message whose <c>ButtonPayload</c> is the button's payload.
/// </summary>
/// <param name="Buttons">1 to 3 buttons; the payloads are opaque to the channel and come back as they are.</param>
/// <param name="TemplateParameters">The template's body parameters ({{1}}, {{2}}, ...), plain text, one line each.</param>
public sealed record ReplyButtons(IReadOnlyList<ReplyButton> Buttons, IReadOnlyList<string> TemplateParameters)
{
    /// <summary>The interactive message's limits: three buttons, titles of 20 characters, ids of 256, a body of 1024.</summary>
    public const int MaxButtons = 3, MaxTitleLength = 20, MaxPayloadLength = 256, MaxTextLength = 1024;
}

/// <param name="Payload">What a press of this button sends back (the template's quick-reply payload, or the interactive
/// button's id). Unguessable when the press decides anything: whoever sees it can forge a webhook only with the app
/// secret, but the payload is all that names the question.</param>
/// <param name="Title">The label in the interactive message (a template uses its own labels).</param>
public sealed record ReplyButton(string Payload, string Title);
