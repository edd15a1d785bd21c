namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// How the emulator words the question template: as the operator guide (docs/oidc.md, "Approval over WhatsApp") asks
/// it to be created on a real business account, in Bahasa Indonesia for "id…" languages and in English otherwise.
/// A real template's words are whatever was approved; only the parameters and the button payloads come from the send.
/// </summary>
internal static class SandboxQuestionTemplate
{
    public static SandboxTemplate For(string language) => language.StartsWith("id", StringComparison.Ordinal)
        ? new("UTILITY", "Setujui masuk ke {{1}} dari {{2}}? Kode: {{3}}. Jika Anda tidak memintanya, tekan Tolak.", ["Setujui", "Tolak"])
        : new("UTILITY", "Approve sign-in to {{1}} from {{2}}? Code: {{3}}. If you did not ask for this, press Refuse.", ["Approve", "Refuse"]);
}
