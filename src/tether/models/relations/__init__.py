"""The managers of relations: `reporter.article_set` and `article.publications`, and the
many-to-many writes they run. The relation fields keep Django's paths in `tether.models.fields`
(`related`, `reverse_related`, `related_descriptors`) and find the managers through
`related_descriptors.MANAGER_CLASSES`, filled here (imported by `tether.models`)."""

from tether.models.fields.related_descriptors import MANAGER_CLASSES
from tether.models.relations.m2m_manager import ManyRelatedManager
from tether.models.relations.related_manager import RelatedManager

__all__ = ["ManyRelatedManager", "RelatedManager"]

MANAGER_CLASSES.update(RelatedManager=RelatedManager, ManyRelatedManager=ManyRelatedManager)
