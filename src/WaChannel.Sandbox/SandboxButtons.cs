using System.Text.Json;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The reply buttons under a message the Cloud API emulator accepted, kept as JSON on the <see cref="SandboxMessage"/>
/// so the dev inbox can show them and press one. <see cref="Reply"/> is the webhook a press sends: "button" for a
/// template's quick reply, "interactive" for an interactive message's reply button, as the Cloud API sends them.
/// </summary>
internal sealed record SandboxButtons(string Reply, IReadOnlyList<SandboxButton> Buttons)
{
    public const string TemplateReply = "button", InteractiveReply = "interactive";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SandboxButtons? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<SandboxButtons>(json, Json); }
        catch (JsonException) { return null; }
    }
}

internal sealed record SandboxButton(string Title, string Payload);
