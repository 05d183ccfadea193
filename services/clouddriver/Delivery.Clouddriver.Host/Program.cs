using Delivery.Clouddriver;
using Delivery.Clouddriver.Kubernetes;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddClouddriver();
builder.AddKubernetesProvider();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapClouddriver();
app.MapKubernetesProvider();
app.Run();
