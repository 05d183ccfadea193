using Delivery.Clouddriver.Naming;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Operations;

/// <summary>Input rules every provider shares; each throws an invalid-input <see cref="OperationException"/> that says what is wrong.</summary>
public static class OperationChecks
{
    public static void Capacity(ServerGroupCapacity? capacity)
    {
        if (capacity is null)
        {
            throw OperationException.Invalid("capacity is required ({min, max, desired}).");
        }
        if (capacity.Min < 0 || capacity.Max < 0 || capacity.Desired < 0)
        {
            throw OperationException.Invalid($"capacity must not be negative (min {capacity.Min}, max {capacity.Max}, desired {capacity.Desired}).");
        }
        if (capacity.Min > capacity.Max)
        {
            throw OperationException.Invalid($"capacity.min ({capacity.Min}) is greater than capacity.max ({capacity.Max}).");
        }
        if (capacity.Desired < capacity.Min || capacity.Desired > capacity.Max)
        {
            throw OperationException.Invalid($"capacity.desired ({capacity.Desired}) must lie between min ({capacity.Min}) and max ({capacity.Max}).");
        }
    }

    public static void ServerGroupName(string? name)
    {
        if (FriggaNames.ParseServerGroup(name) is null)
        {
            throw OperationException.Invalid($"'{name}' is not a server group name (app[-stack[-detail]]-vNNN).");
        }
    }

    public static void LoadBalancerName(string? name)
    {
        if (FriggaNames.Parse(name) is not { Sequence: null })
        {
            throw OperationException.Invalid($"'{name}' is not a load balancer name (app[-stack[-detail]] of letters, digits, '.', '_', without a -vNNN version).");
        }
    }
}
