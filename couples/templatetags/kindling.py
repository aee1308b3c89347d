from django import template
from django.templatetags.static import static
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/nav_item.html", takes_context=True)
def nav_item(context, viewname: str, label: str, icon: str, badge: int = 0) -> dict:
    url = reverse(viewname)
    request = context.get("request")
    path = request.path if request else ""
    current = path == url or (url != "/" and path.startswith(url) and len(url) > 1)
    return {"url": url, "label": label, "icon": icon, "current": current, "badge": badge}


@register.simple_tag
def icon_href(name: str) -> str:
    return f"{static('img/icons.svg')}#{name}"
