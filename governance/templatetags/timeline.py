from django import template

from governance.pages.timeline_svg import timeline_svg

register = template.Library()
register.simple_tag(timeline_svg, name="timeline_svg")
