using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Configuration;

public static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatableOptions
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SelfValidation<T>(section));
        return services;
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
