using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The answer of WhatsAuth's send routes (<c>/api/v2/send/message/text</c>, <c>/api/send/message/text</c>), so an app
/// written for WhatsAuth reads it unchanged: 200 with WhatsAuth's <c>response</c> sentence beside this API's fields,
/// and on a refusal WhatsAuth's <c>error</c> sentence beside the problem details.
/// </summary>
internal static class WhatsAuthAnswer
{
    public static IResult From(IResult result)
    {
        switch (result)
        {
            case ProblemHttpResult problem:
                problem.ProblemDetails.Extensions["error"] = problem.ProblemDetails.Detail;
                return problem;
            case JsonHttpResult<MessageView> { Value: { } view }:
                var body = JsonSerializer.SerializeToNode(view, JsonBody.Snake)!.AsObject();
                body.Insert(0, "response", $"ID:{view.Id} {view.Status}");
                return Results.Json(body, JsonBody.Snake);
            default:
                return result;
        }
    }
}
