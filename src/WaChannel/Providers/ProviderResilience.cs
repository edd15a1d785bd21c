using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace WaIdentity.WaChannel.Providers;

/// <summary>
/// The resilience pipeline of the provider HTTP clients (WhatsApp Cloud API, SMS): a backstop timeout inside a circuit
/// breaker, and deliberately no retry. The outbox owns retries (backoff, attempts, the SMS fallback): a retry inside
/// the HttpClient would send a message again after a call whose outcome is unknown, so a person could get two codes.
/// The breaker fails calls fast while a provider is mostly failing (server errors, 429, 408, unreachable), so codes move
/// on to SMS and notifications wait for the outbox's next try without each waiting out a hung call.
/// </summary>
internal static class ProviderResilience
{
    public const string PipelineName = "provider";

    public static IHttpClientBuilder AddProviderResilience(this IHttpClientBuilder builder)
    {
        // The pipeline's timeout replaces HttpClient.Timeout; the dispatcher cuts each send earlier anyway (Dispatch:SendTimeoutSeconds).
        builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(PipelineName, pipeline => pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddTimeout(TimeSpan.FromSeconds(60)));
        return builder;
    }
}
