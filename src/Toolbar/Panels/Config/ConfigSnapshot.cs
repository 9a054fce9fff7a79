using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Toolbar.Panels.Config;

/// <summary>Builds a <see cref="ConfigData"/> from the app's configuration, environment and runtime.</summary>
internal static class ConfigSnapshot
{
    public static ConfigData Build(IConfiguration configuration, IHostEnvironment environment, SecretMasker masker)
    {
        var data = new ConfigData
        {
            Environment = environment.EnvironmentName,
            ApplicationName = environment.ApplicationName,
            ContentRoot = environment.ContentRootPath,
            CapturedAt = DateTimeOffset.UtcNow,
        };

        var providers = new List<IConfigurationProvider>();
        if (configuration is IConfigurationRoot root)
        {
            Flatten(root.Providers, providers);
        }

        foreach (var (provider, index) in providers.Select((p, i) => (p, i)))
        {
            data.Providers.Add(new ConfigProviderInfo { Index = index, Name = Describe(provider), Type = provider.GetType().Name });
        }

        foreach (var (key, value) in configuration.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (value is null)
            {
                continue; // a section, not a value
            }

            var entry = new ConfigEntry { Key = key, ProviderIndex = -1, Provider = "(unknown)" };
            for (var i = providers.Count - 1; i >= 0; i--)
            {
                if (!providers[i].TryGet(key, out _))
                {
                    continue;
                }

                if (entry.ProviderIndex < 0)
                {
                    entry.ProviderIndex = i;
                    entry.Provider = data.Providers[i].Name;
                }
                else
                {
                    entry.Overrides.Add(i);
                }

                data.Providers[i].KeyCount++;
            }

            if (entry.ProviderIndex >= 0)
            {
                data.Providers[entry.ProviderIndex].WinningKeyCount++;
            }

            // The key says secret: nothing of the value is shown. Otherwise only the credentials inside it are masked
            // (postgres://user:********@host, Password = ********), and the entry says it was masked.
            var shown = masker.IsSecret(key) ? SecretMasker.Mask : masker.MaskValue(value);
            entry.Masked = !ReferenceEquals(shown, value);
            entry.Value = shown;
            data.Values[key] = entry.Value;
            data.Entries.Add(entry);
        }

        AddRuntime(data);
        return data;
    }

    /// <summary>A readable name for a provider: its file, prefix or kind.</summary>
    internal static string Describe(IConfigurationProvider provider)
    {
        switch (provider)
        {
            case JsonConfigurationProvider json when IsUserSecrets(json.Source):
                return "User secrets (secrets.json)";
            case FileConfigurationProvider file:
                var kind = file.GetType().Name.Replace("ConfigurationProvider", "", StringComparison.Ordinal).ToUpperInvariant();
                return $"{kind} file {file.Source.Path}{(file.Source.Optional ? " (optional)" : "")}";
            case EnvironmentVariablesConfigurationProvider env:
                // The prefix is only exposed through ToString ("... Prefix: 'ASPNETCORE_'").
                var text = env.ToString();
                var at = text.IndexOf("Prefix: '", StringComparison.Ordinal);
                var prefix = at >= 0 ? text[(at + 9)..].TrimEnd('\'') : "";
                return prefix.Length > 0 ? $"Environment variables (prefix {prefix})" : "Environment variables";
            case CommandLineConfigurationProvider:
                return "Command line";
            case MemoryConfigurationProvider:
                return "In-memory";
            default:
                return provider.GetType().Name;
        }
    }

    private static bool IsUserSecrets(FileConfigurationSource source) =>
        string.Equals(source.Path, "secrets.json", StringComparison.OrdinalIgnoreCase)
        && source.FileProvider is PhysicalFileProvider physical
        && physical.Root.Contains("usersecrets", StringComparison.OrdinalIgnoreCase);

    // A chained provider wraps another configuration (e.g. the host's): list its providers in place, the
    // precedence stays the same because the chained one sits where its providers are listed.
    private static void Flatten(IEnumerable<IConfigurationProvider> source, List<IConfigurationProvider> target)
    {
        foreach (var provider in source)
        {
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot inner } && target.Count < 1000)
            {
                Flatten(inner.Providers, target);
            }
            else
            {
                target.Add(provider);
            }
        }
    }

    private static void AddRuntime(ConfigData data)
    {
        var versions = data.Versions;
        versions["dotnet"] = Environment.Version.ToString();
        versions["runtime"] = RuntimeInformation.FrameworkDescription;
        versions["aspnetcore"] = VersionOf(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly);
        versions["toolbar"] = VersionOf(typeof(ConfigSnapshot).Assembly);
        versions["os"] = RuntimeInformation.OSDescription;
        versions["architecture"] = RuntimeInformation.ProcessArchitecture.ToString();
        versions["runtimeIdentifier"] = RuntimeInformation.RuntimeIdentifier;

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || assembly.GetName().Name is not { } name)
            {
                continue;
            }

            var version = VersionOf(assembly);
            data.Assemblies.Add(new AssemblyVersion(name, version));
            if (name == "Microsoft.EntityFrameworkCore")
            {
                versions["efcore"] = version;
            }
        }

        data.Assemblies.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        data.Gc = new GcInfo
        {
            ServerGc = GCSettings.IsServerGC,
            // Batch is the only latency mode in which background collections are off.
            Concurrent = GCSettings.LatencyMode != GCLatencyMode.Batch,
            LatencyMode = GCSettings.LatencyMode.ToString(),
            ProcessorCount = Environment.ProcessorCount,
        };
    }

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // Drop the "+commit" build metadata: the version is what people compare.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? informational[..plus] : informational;
        }

        return assembly.GetName().Version?.ToString() ?? "";
    }
}
