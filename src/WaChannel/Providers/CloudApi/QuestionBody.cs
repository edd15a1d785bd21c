using System.Text.Json.Nodes;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.WaChannel.Providers.CloudApi;

/// <summary>
/// A question with reply buttons on the Cloud API. With a question template for the locale: the template, its body
/// parameters filled in order and one quick-reply button component per button carrying that button's payload (a
/// template may be sent outside the 24-hour window). Without one: an interactive "button" message with the text as its
/// body and the buttons' titles and payloads (only inside the window, like any free message).
/// </summary>
internal static class QuestionBody
{
    public static void Fill(JsonObject body, string text, ReplyButtons question, QuestionTemplateOptions template, string locale)
    {
        if (template.LanguageFor(locale) is { } language)
        {
            var components = new JsonArray(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(question.TemplateParameters.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p }).ToArray()),
            });
            for (var i = 0; i < question.Buttons.Count; i++)
                components.Add(new JsonObject
                {
                    ["type"] = "button", ["sub_type"] = "quick_reply", ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = question.Buttons[i].Payload }),
                });
            body["type"] = "template";
            body["template"] = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = language }, ["components"] = components };
            return;
        }
        body["type"] = "interactive";
        body["interactive"] = new JsonObject
        {
            ["type"] = "button",
            ["body"] = new JsonObject { ["text"] = text },
            ["action"] = new JsonObject
            {
                ["buttons"] = new JsonArray(question.Buttons.Select(b => (JsonNode)new JsonObject
                {
                    ["type"] = "reply", ["reply"] = new JsonObject { ["id"] = b.Payload, ["title"] = b.Title },
                }).ToArray()),
            },
        };
    }
}
