using Microsoft.Data.Sqlite;
using Npgsql;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// What an unhandled exception answers, through the error page (a page for browsers, problem+json for the rest).
/// Input the server cannot take is the client's error, not a 500: a body Kestrel refuses keeps its 4xx, text
/// PostgreSQL cannot store (a NUL character) is a 400. A database that cannot be reached is a 503 with Retry-After,
/// so people are told to try again shortly and load balancers and clients back off. A page with a form reached over
/// plain http outside Development (the antiforgery cookie is Secure-only there) is a 400 whose page says HTTPS is
/// needed, not a 500.
/// </summary>
internal static class ExceptionResponses
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
        _ when IsFormOverPlainHttp(exception) => StatusCodes.Status400BadRequest,
        _ when Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            StatusCodes.Status400BadRequest,
        _ when DatabaseUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The antiforgery system refuses to issue its Secure-only cookie on a plain-http request (ASP.NET Core gives it no
    /// type of its own, so its message names it): a browser opened the site over http, or a TLS-terminating proxy's
    /// X-Forwarded-Proto is not trusted (Hosting:TrustedProxies).
    /// </summary>
    public static bool IsFormOverPlainHttp(Exception? exception) =>
        exception is InvalidOperationException && exception.Message.Contains("is not an SSL request", StringComparison.Ordinal);

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
