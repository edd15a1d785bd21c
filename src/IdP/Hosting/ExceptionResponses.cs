using Microsoft.Data.Sqlite;
using Npgsql;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// What an unhandled exception answers, through the error page (a page for browsers, problem+json for the rest).
/// Input the server cannot take is the client's error, not a 500: a body Kestrel refuses keeps its 4xx, text
/// PostgreSQL cannot store (a NUL character) is a 400. A database that cannot be reached is a 503 with Retry-After,
/// so people are told to try again shortly and load balancers and clients back off.
/// </summary>
public static class ExceptionResponses
{
    public const int RetryAfterSeconds = 30;

    public static IApplicationBuilder UseIdpExceptionHandler(this IApplicationBuilder app) => app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        StatusCodeSelector = StatusFor,
        ExceptionHandlingPath = StatusCodeResponses.ErrorPagePath,
    });

    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException } => StatusCodes.Status403Forbidden,
        BadHttpRequestException bad => bad.StatusCode,
        _ when Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            StatusCodes.Status400BadRequest,
        _ when DatabaseUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The database is down, unreachable, shutting down or out of connections: nothing the request did wrong.</summary>
    private static bool DatabaseUnavailable(Exception exception) =>
        Find<PostgresException>(exception) is { } pg
            ? pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300"
            : Find<NpgsqlException>(exception) is not null || Find<TimeoutException>(exception) is not null
              || Find<SqliteException>(exception) is { SqliteErrorCode: 5 or 6 or 10 or 14 }; // BUSY, LOCKED, IOERR, CANTOPEN

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T found) return found;
        return null;
    }
}
