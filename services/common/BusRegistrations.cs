using MassTransit;

namespace Delivery.ServiceDefaults;

/// <summary>
/// Consumer registrations collected from each service's <c>Add*</c> method, so that the
/// host configures MassTransit once with all of them (MassTransit allows one AddMassTransit).
/// </summary>
public sealed class BusRegistrations
{
    internal List<Action<IBusRegistrationConfigurator>> Actions { get; } = [];

    /// <summary>Consumers that answer gate requests: on the bus, and in standalone also on the in-process mediator.</summary>
    internal List<Action<IRegistrationConfigurator>> RequestConsumers { get; } = [];

    /// <summary>Consumers that every process must see every message of, on one endpoint of the process's own.</summary>
    internal List<Type> FanOutConsumers { get; } = [];
}
