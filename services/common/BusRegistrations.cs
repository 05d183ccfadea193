using MassTransit;

namespace Delivery.ServiceDefaults;

/// <summary>
/// Consumer registrations collected from each service's <c>Add*</c> method, so that the
/// host configures MassTransit once with all of them (MassTransit allows one AddMassTransit).
/// </summary>
public sealed class BusRegistrations
{
    internal List<Action<IBusRegistrationConfigurator>> Actions { get; } = [];
}
