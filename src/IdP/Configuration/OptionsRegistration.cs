using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Configuration;

internal static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatableOptions
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SelfValidation<T>(section));
        return services;
    }

    /// <summary>
    /// The values <see cref="AddValidatedOptions{T}"/> binds, read while services are registered (a recurring job's period
    /// is fixed when the scheduler is built), with the options class's own defaults, so no default is written twice. A
    /// value that does not convert leaves the defaults here: the start's validation names it with the other problems.
    /// </summary>
    public static T ReadOptions<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        try { return configuration.GetSection(section).Get<T>() ?? new T(); }
        catch (InvalidOperationException) { return new T(); }
    }

    private sealed class SelfValidation<T>(string section) : IValidateOptions<T> where T : class, IValidatableOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Validate(section).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
