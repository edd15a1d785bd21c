using System.Text.Json;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>What the outbox stores (encrypted, like a text) for a <see cref="MessageKind.Question"/>: the text and its buttons.</summary>
internal sealed record QuestionContent(string Text, ReplyButtons Buttons)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static QuestionContent FromJson(string json) =>
        JsonSerializer.Deserialize<QuestionContent>(json, Json) ?? throw new JsonException("An empty question in the outbox.");
}
