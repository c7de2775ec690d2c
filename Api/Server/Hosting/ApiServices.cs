using HamachiCloud.Api.Accounts;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Bans;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.Health;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Api.Mail;
using HamachiCloud.Api.Members;
using HamachiCloud.Api.Networks;
using HamachiCloud.Api.RateLimiting;
using HamachiCloud.Api.Relays;
using HamachiCloud.Api.Routes;
using HamachiCloud.Api.Sessions;
using HamachiCloud.Api.SetupKeys;
using HamachiCloud.Api.TwoFactor;
using HamachiCloud.Migrations;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Hosting;

/// <summary>Everything the Api registers, from validated options (a bad key stops the start, named).</summary>
internal static class ApiServices
{
    public static void AddHamachiApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var database = Bind<DatabaseOptions>(builder, DatabaseOptions.Section, new DatabaseOptions.Validator());
        var identity = Bind<IdentityServerOptions>(builder, IdentityServerOptions.Section, new IdentityServerOptions.Validator());
        Bind<AddressPoolOptions>(builder, AddressPoolOptions.Section, new AddressPoolOptions.Validator());
        Bind<Routes.RouteOptions>(builder, Routes.RouteOptions.Section, new Routes.RouteOptions.Validator());
        Bind<BootstrapOptions>(builder, BootstrapOptions.Section, new BootstrapOptions.Validator());
        var redis = Bind<RedisOptions>(builder, RedisOptions.Section, null);
        var controlPlane = Bind<ControlPlaneOptions>(builder, ControlPlaneOptions.Section, new ControlPlaneOptions.Validator());
        Bind<RelaysOptions>(builder, RelaysOptions.Section, new RelaysOptions.Validator());
        var limits = Bind<RateLimitOptions>(builder, RateLimitOptions.Section, new RateLimitOptions.Validator());
        Bind<MailOptions>(builder, MailOptions.Section, new MailOptions.Validator());
        Bind<ProxyOptions>(builder, ProxyOptions.Section, new ProxyOptions.Validator());
        Bind<Bans.BanOptions>(builder, Bans.BanOptions.Section, new Bans.BanOptions.Validator());
        Bind<SignIn.SignInThrottleOptions>(builder, SignIn.SignInThrottleOptions.Section, new SignIn.SignInThrottleOptions.Validator());
        Bind<Billing.BillingOptions>(builder, Billing.BillingOptions.Section, new Billing.BillingOptions.Validator());
        Bind<Audit.AuditOptions>(builder, Audit.AuditOptions.Section, new Audit.AuditOptions.Validator());
        Bind<DeviceCleanupOptions>(builder, DeviceCleanupOptions.Section, new DeviceCleanupOptions.Validator());
        RefuseHostForwardedHeaders(builder.Configuration);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new OperatorConsole(Console.Out));
        services.AddHttpContextAccessor();
        services.AddHamachiDatabase(database.Provider, database.ConnectionString);
        services.AddDataProtection()
            .SetApplicationName("HamachiCloud")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(identity.KeyDirectory, "data-protection")));
        services.AddHamachiIdentity(identity);
        services.AddHamachiAuth();
        services.AddScoped<Microsoft.AspNetCore.Identity.SignInManager<User>, Identity.HamachiSignInManager>();
        services.AddHamachiRateLimits(limits);
        AddRateCounter(services, redis);
        services.AddAntiforgery();

        services.ConfigureHttpJsonOptions(o => HamachiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = CorrelationIdMiddleware.AddToProblem);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "HamachiCloud API";
            doc.Info.Description = "Accounts, networks, members, devices and setup keys. Errors are RFC 7807 problems with a stable `code`.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // Detailed hub errors (exception messages to the caller) only where no one else is listening.
        var detailedErrors = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        var signalR = services.AddSignalR(o => o.EnableDetailedErrors = detailedErrors).AddMessagePackProtocol();
        signalR.AddHubOptions<AgentHub>(o =>
        {
            o.MaximumReceiveMessageSize = controlPlane.MaximumReceiveMessageBytes;
            o.SupportedProtocols = ["messagepack"]; // agents speak MessagePack only
        });
        signalR.AddJsonProtocol(o => HamachiJson.Configure(o.PayloadSerializerOptions));
        signalR.AddHubOptions<Live.PortalHub>(o => o.SupportedProtocols = ["json"]); // the Portal: JSON with the REST conventions
        // A call whose arguments do not bind closes the connection like any malformed frame.
        var messagePack = services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(MessagePackHubProtocol));
        services.Remove(messagePack);
        services.AddSingleton<IHubProtocol>(sp => new StrictHubProtocol(ActivatorUtilities.CreateInstance<MessagePackHubProtocol>(sp)));
        if (!string.IsNullOrWhiteSpace(redis.Connection))
        {
            signalR.AddStackExchangeRedis(redis.Connection, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("hamachi"));
        }

        // The job storage is this container's own instance, never Hangfire's process-wide JobStorage.Current: with two
        // Api hosts in one process (the tests), a job enqueued by one must not be run by the other's workers. Hangfire's
        // registrations are TryAdd, so the client, the recurring-job manager, the server and the dashboard take this one.
        services.AddSingleton<JobStorage>(_ => database.Provider == DatabaseProvider.Postgres
            ? new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions())
            : new Hangfire.InMemory.InMemoryStorage());
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(
            sp.GetRequiredService<JobStorage>(), sp.GetService<Hangfire.Common.IJobFilterProvider>() ?? Hangfire.Common.JobFilterProviders.Providers));
        services.AddHangfire(h => h.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());
        // Jobs are activated in this container, never through Hangfire's process-wide JobActivator.Current (the last
        // host configured in the process: in tests another Api, perhaps disposed, whose services would run the job).
        services.AddHangfireServer((sp, o) =>
        {
            o.WorkerCount = 2;
            o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
        });

        services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Network>, Microsoft.AspNetCore.Identity.PasswordHasher<Network>>();
        services.AddSingleton<BanList>();
        services.AddSingleton<BanHits>();
        services.AddScoped<Relays.RelayBanFeed>();
        services.AddSingleton<BanBus>();
        services.AddHostedService(sp => sp.GetRequiredService<BanBus>());
        services.AddSingleton<BanHitFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<BanHitFlusher>());
        services.AddSingleton<SignIn.SignInThrottle>();
        services.AddSingleton<SignIn.UnknownAccountPassword>();
        services.AddScoped<BanService>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AccountService>();
        services.AddScoped<ApiTokenService>();
        services.AddSingleton<MailSender>();
        services.AddScoped<AccountMails>();
        services.AddScoped<EmailConfirmationService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<SessionService>();
        services.AddScoped<StaffAccess>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<NetworkService>();
        services.AddScoped<MemberService>();
        services.AddScoped<Plans.PlanChanges>();
        services.AddScoped<Plans.GrantService>();
        services.AddScoped<Support.SupportSearch>();
        services.AddScoped<Support.SupportService>();
        services.AddScoped<Audit.AuditQueries>();
        services.AddScoped<Jobs.AuditRetentionJob>();
        services.AddScoped<Jobs.StaleDeviceJob>();

        // Billing: Stripe (Checkout, Customer Portal, webhooks), its mails and jobs.
        services.AddHttpClient(nameof(Billing.StripeGateway));
        services.AddSingleton<Billing.StripeGateway>();
        services.AddScoped<Billing.BillingService>();
        services.AddScoped<Billing.StripeEvents>();
        services.AddScoped<Billing.StripeWebhook>();
        services.AddSingleton<Billing.StripeWebhook.Gate>();
        services.AddScoped<Billing.BillingMails>();
        services.AddScoped<Billing.RelayUsageRollup>();
        services.AddScoped<Members.MemberMails>();
        services.AddScoped<BillingJobs>();
        services.AddSingleton<Members.JoinThrottle>();
        services.AddSingleton(sp => new ControlPlane.HubCallBudget.Clock(sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<RouteService>();
        services.AddScoped<DeviceService>();
        services.AddScoped<AddressAllocator>();
        services.AddScoped<SetupKeyService>();
        services.AddScoped<SetupKeyNetworkScope>();
        services.AddScoped<MaintenanceJobs>();
        services.AddScoped<EnrolmentService>();

        // Control plane: identity key, change queue + tick, map publisher, hub commands.
        services.AddSingleton(_ => ServerIdentity.Load(identity.KeyDirectory));
        services.AddSingleton<MapChangeQueue>();
        services.AddSingleton<MapUpdateBatcher>();
        services.AddSingleton<LiveSessions>();
        services.AddSingleton<ApiNodeIdentity>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddHostedService<Relays.RelayWithdrawal>();
        services.AddHostedService<SessionEnforcer>();
        services.AddHostedService(sp => sp.GetRequiredService<MapUpdateBatcher>());
        services.AddScoped<MapPublisher>();
        services.AddScoped<AgentCommands>();
        services.AddScoped<RelayTokens>();
        services.AddScoped<Paths.PathReports>();

        // The Portal's live hub: this node's watchers, the pushes after each tick, group revalidation.
        services.AddSingleton<Live.PortalWatchers>();
        services.AddScoped<Live.PortalWatchGroups>();
        services.AddScoped<Live.PortalPublisher>();
        services.AddHostedService<Live.PortalWatchRevalidator>();
    }

    /// <summary>
    /// The rate limits' counters: in Redis when <c>Redis:Connection</c> is set (every node shares one budget, and a
    /// lockout made on one node holds on all), in this process otherwise. One multiplexer for the process.
    /// </summary>
    private static void AddRateCounter(IServiceCollection services, RedisOptions redis)
    {
        if (string.IsNullOrWhiteSpace(redis.Connection))
        {
            services.AddSingleton<IRateCounter>(sp => new MemoryRateCounter(sp.GetRequiredService<TimeProvider>()));
            return;
        }

        services.TryAddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ =>
        {
            var configuration = StackExchange.Redis.ConfigurationOptions.Parse(redis.Connection);
            configuration.AbortOnConnectFail = false; // start without Redis; limits fail closed (500) until it answers
            return StackExchange.Redis.ConnectionMultiplexer.Connect(configuration);
        });
        services.AddSingleton<IRateCounter, RedisRateCounter>();
    }

    /// <summary>
    /// ASPNETCORE_FORWARDEDHEADERS_ENABLED=true makes the web host trust X-Forwarded-For from every
    /// peer (it clears the known proxies): anyone could claim any address and slip past bans and
    /// rate limits. The Api's own <see cref="ProxyOptions"/> replace it, so it stops the start.
    /// </summary>
    private static void RefuseHostForwardedHeaders(ConfigurationManager configuration)
    {
        if (string.Equals(configuration["ForwardedHeaders_Enabled"], "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException("ForwardedHeaders_Enabled", typeof(ProxyOptions),
                ["ForwardedHeaders_Enabled (ASPNETCORE_FORWARDEDHEADERS_ENABLED) trusts every peer's X-Forwarded-For; unset it and list the load balancers in Proxy:KnownProxies or Proxy:KnownNetworks"]);
        }
    }

    private static T Bind<T>(WebApplicationBuilder builder, string section, IValidateOptions<T>? validator)
        where T : class, new()
    {
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
        if (validator is not null)
        {
            builder.Services.AddSingleton(validator);
        }

        // The composition needs some values now; validate them now too, naming the key.
        T value;
        try
        {
            value = builder.Configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(section, typeof(T), [$"{section}: {e.Message}"]);
        }

        var result = validator?.Validate(null, value);
        if (result is { Failed: true })
        {
            throw new OptionsValidationException(section, typeof(T), result.Failures);
        }

        return value;
    }
}
