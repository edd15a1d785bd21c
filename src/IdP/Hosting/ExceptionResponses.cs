using Npgsql;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// What an unhandled exception answers. Input the server cannot take is the client's error, not a 500: a body Kestrel
/// refuses (too large, malformed) keeps its 4xx, and text PostgreSQL cannot store (a NUL character) is a 400.
/// </summary>
public static class ExceptionResponses
{
    public static IApplicationBuilder UseIdpExceptionHandler(this IApplicationBuilder app) => app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        StatusCodeSelector = StatusFor,
    });

    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T found) return found;
        return null;
    }
}
