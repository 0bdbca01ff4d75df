"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.accounts.models import (  # noqa: F401
    AssistedChange,
    ContactChange,
    ContactLogEntry,
    District,
    EmployerMembership,
    JobsPledge,
    Nation,
    NextAction,
    Office,
    Organisation,
    OutcomeTarget,
    Site,
)
from app.agreements.models import (  # noqa: F401
    AgreedMeasure,
    Agreement,
    AgreementRequest,
    AgreementVersion,
)
from app.api.models import ApiKey, ApiKeyUse, IdempotentRequest  # noqa: F401
from app.auth.models import User  # noqa: F401
from app.callbacks.models import CallAttempt, CallBack  # noqa: F401
from app.customers.models import AuditEntry, Consent, Customer  # noqa: F401
from app.guarantees.models import Guarantee  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.outcomes.models import JobOutcome, SustainmentCheck  # noqa: F401
from app.partnerships.models import (  # noqa: F401
    Partnership,
    ProviderAgreement,
    ProviderCustomer,
    Subcontractor,
)
from app.pet.models import (  # noqa: F401
    ActionPoint,
    Attendance,
    Course,
    CourseComment,
    CourseEmployer,
    CourseEmployerEvent,
    CourseModule,
    CourseReferral,
    DeliveryPlan,
    TrainingProvider,
)
from app.referrals.models import Referral, ReferralEvent  # noqa: F401
from app.reports.models import RollupCount, RollupDirty, RollupState  # noqa: F401
from app.vacancies.models import Vacancy  # noqa: F401
from app.vouchers.models import Voucher, VoucherEvent  # noqa: F401
