using System.Reflection;
using Delivery.Contracts.Api;
using Delivery.Gate;

namespace Delivery.Gate.Tests;

/// <summary>
/// Gate speaks to the other services only through <c>Delivery.Contracts</c>: it never names the
/// engine's own steps (StartStage, RunTask ...), which live inside the orchestrator.
/// </summary>
public class ContractBoundaryTests
{
    private static readonly Assembly Gate = typeof(GateExtensions).Assembly;
    private static readonly Assembly Contracts = typeof(ApiReply).Assembly;

    [Fact]
    public void Gate_DoesNotReferenceTheOrchestrator()
    {
        var references = Gate.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Delivery.Contracts", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Delivery.Orchestrator", StringComparison.Ordinal));
    }

    [Fact]
    public void Gate_UsesOnlyContractTypesOfDelivery()
    {
        // Every Delivery type gate's code mentions (fields, parameters, generic arguments of the
        // request clients it registers) comes from gate itself, the contracts or the service defaults.
        var allowed = new[] { Gate.GetName().Name, Contracts.GetName().Name, "Delivery.ServiceDefaults" };
        var foreign = Gate.GetTypes()
            .SelectMany(MentionedTypes)
            .Where(t => t.Namespace?.StartsWith("Delivery", StringComparison.Ordinal) == true && !allowed.Contains(t.Assembly.GetName().Name))
            .Select(t => t.FullName)
            .Distinct()
            .ToList();

        Assert.Empty(foreign);
    }

    [Fact]
    public void Contracts_HoldNoEngineSteps()
    {
        string[] engineSteps = ["StartExecution", "StartStage", "StartTask", "RunTask", "CompleteTask", "CompleteStage",
            "ContinueParentStage", "CompleteExecution", "StartWaitingExecutions"];

        var names = Contracts.GetTypes().Select(t => t.Name).ToHashSet();

        Assert.All(engineSteps, step => Assert.DoesNotContain(step, names));
    }

    private static IEnumerable<Type> MentionedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type>();
        types.AddRange(type.GetFields(all).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(all))
        {
            types.Add(method.ReturnType);
            types.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method.IsGenericMethod)
            {
                types.AddRange(method.GetGenericArguments());
            }
            try
            {
                types.AddRange(method.GetMethodBody()?.LocalVariables.Select(v => v.LocalType) ?? []);
            }
            catch (InvalidOperationException)
            {
            }
        }
        return types.SelectMany(Expand);
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }
        }
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }
}
