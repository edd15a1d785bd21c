namespace WaIdentity.WaChannel.Sandbox;

/// <summary>A WhatsApp group in the sandbox gateway: its chat id (…@g.us), subject and members' phones (E.164).</summary>
internal sealed record SandboxGroup(string Id, string Subject, IReadOnlyList<string> Members);
