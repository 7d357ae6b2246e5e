-- Approved customer wording, version 1, en-US and es-US. Every review reads the same, whichever
-- team reviews: a customer can never tell an AML or fraud hold from any other review; past its
-- SLA every review says so, with the escalation path. Declines read as their owner words them.
INSERT INTO kyc.customer_message (message_key, locale, version, label, message, next_step, drafted_by, approved_by, approved_at)
SELECT k, l, 1, lb, m, n, 'pg_kyc', 'legal_cx_2026_11', pg_catalog.now()
FROM (VALUES
    ('application_received', 'en-US', 'Application received', 'We have your application.', 'Continue with the next step in the app.'),
    ('consent_required', 'en-US', 'Consent needed', 'We need your agreement to the account disclosures before we can continue.', 'Review and accept the disclosures.'),
    ('verification_in_progress', 'en-US', 'Verifying your details', 'We are verifying the details you gave us.', 'No action needed; we will let you know if we need anything.'),
    ('under_review', 'en-US', 'Under review', 'Your application is being reviewed. This usually takes up to two business days.', 'No action needed; we will contact you.'),
    ('additional_information_needed', 'en-US', 'Information needed', 'We need a little more information to finish your application.', 'Open the app to see what to send us.'),
    ('funding_needed', 'en-US', 'Fund your account', 'Your account is open. Add money to start using it.', 'Make your first deposit.'),
    ('contact_details_needed', 'en-US', 'Check your contact details', 'We could not reach you with your application update.', 'Confirm your email and phone number.'),
    ('account_opened_with_limits', 'en-US', 'Account open with limits', 'Your account is open. Some features are limited for now.', 'See the app for what is available and when limits lift.'),
    ('account_open', 'en-US', 'Account open', 'Your account is open.', 'Fund your account to start using it.'),
    ('account_active', 'en-US', 'Account active', 'Your account is ready to use.', 'Start banking.'),
    ('product_not_available', 'en-US', 'Product not available', 'We are not able to offer this account to you.', 'See other accounts you may be eligible for.'),
    ('unable_to_open_account', 'en-US', 'Application not approved', 'We are unable to open an account for you at this time.', 'A letter with more information is on its way.'),
    ('verification_not_completed', 'en-US', 'Verification not completed', 'We could not complete the verification of your identity.', 'Visit a branch or call us to verify another way.'),
    ('application_expired', 'en-US', 'Application expired', 'Your application expired before it was finished.', 'Start a new application whenever you are ready.'),
    ('account_closed', 'en-US', 'Account closed', 'Your account is closed.', 'Contact us with any questions.'),
    ('review_delayed', 'en-US', 'Review taking longer', 'Your review is taking longer than we told you. We have escalated it to a senior reviewer.', 'No action needed. To follow up, call us and ask for the onboarding escalations team, or file a complaint in the app.'),
    ('identity_not_verified', 'en-US', 'Identity not verified', 'We could not verify your identity from the information you gave us, so we cannot open this account.', 'Bring a government photo ID to a branch, or call us to verify another way.'),
    ('business_not_verified', 'en-US', 'Business not verified', 'We could not confirm your business from public registration records, so we cannot open this account.', 'Send us your formation documents or certificate of good standing, or call us.'),
    ('application_not_confirmed', 'en-US', 'Application not confirmed', 'We could not confirm that this application was made by you, so we cannot open this account.', 'If you applied, call us to confirm it. If you did not, tell us so we can protect your identity.'),

    ('application_received', 'es-US', 'Solicitud recibida', 'Recibimos su solicitud.', 'Continúe con el siguiente paso en la aplicación.'),
    ('consent_required', 'es-US', 'Se necesita su consentimiento', 'Necesitamos que acepte las divulgaciones de la cuenta para continuar.', 'Revise y acepte las divulgaciones.'),
    ('verification_in_progress', 'es-US', 'Verificando sus datos', 'Estamos verificando los datos que nos dio.', 'No necesita hacer nada; le avisaremos si necesitamos algo.'),
    ('under_review', 'es-US', 'En revisión', 'Su solicitud está en revisión. Esto suele tardar hasta dos días hábiles.', 'No necesita hacer nada; nos comunicaremos con usted.'),
    ('additional_information_needed', 'es-US', 'Se necesita información', 'Necesitamos un poco más de información para terminar su solicitud.', 'Abra la aplicación para ver qué enviarnos.'),
    ('funding_needed', 'es-US', 'Deposite fondos', 'Su cuenta está abierta. Agregue dinero para empezar a usarla.', 'Haga su primer depósito.'),
    ('contact_details_needed', 'es-US', 'Revise sus datos de contacto', 'No pudimos comunicarle la actualización de su solicitud.', 'Confirme su correo y teléfono.'),
    ('account_opened_with_limits', 'es-US', 'Cuenta abierta con límites', 'Su cuenta está abierta. Algunas funciones están limitadas por ahora.', 'Vea en la aplicación qué está disponible y cuándo se levantan los límites.'),
    ('account_open', 'es-US', 'Cuenta abierta', 'Su cuenta está abierta.', 'Deposite fondos para empezar a usarla.'),
    ('account_active', 'es-US', 'Cuenta activa', 'Su cuenta está lista para usar.', 'Empiece a usar su cuenta.'),
    ('product_not_available', 'es-US', 'Producto no disponible', 'No podemos ofrecerle esta cuenta.', 'Vea otras cuentas para las que podría calificar.'),
    ('unable_to_open_account', 'es-US', 'Solicitud no aprobada', 'No podemos abrirle una cuenta en este momento.', 'Recibirá una carta con más información.'),
    ('verification_not_completed', 'es-US', 'Verificación no completada', 'No pudimos completar la verificación de su identidad.', 'Visite una sucursal o llámenos para verificarla de otra forma.'),
    ('application_expired', 'es-US', 'Solicitud vencida', 'Su solicitud venció antes de terminarse.', 'Empiece una nueva solicitud cuando quiera.'),
    ('account_closed', 'es-US', 'Cuenta cerrada', 'Su cuenta está cerrada.', 'Comuníquese con nosotros si tiene preguntas.'),
    ('review_delayed', 'es-US', 'La revisión está tardando', 'Su revisión está tardando más de lo que le dijimos. La pasamos a un revisor superior.', 'No necesita hacer nada. Para darle seguimiento, llámenos y pida el equipo de escalamiento, o presente una queja en la aplicación.'),
    ('identity_not_verified', 'es-US', 'Identidad no verificada', 'No pudimos verificar su identidad con los datos que nos dio, así que no podemos abrir esta cuenta.', 'Traiga una identificación oficial con foto a una sucursal, o llámenos para verificarla de otra forma.'),
    ('business_not_verified', 'es-US', 'Empresa no verificada', 'No pudimos confirmar su empresa en los registros públicos, así que no podemos abrir esta cuenta.', 'Envíenos sus documentos de constitución o certificado de vigencia, o llámenos.'),
    ('application_not_confirmed', 'es-US', 'Solicitud no confirmada', 'No pudimos confirmar que usted hizo esta solicitud, así que no podemos abrir esta cuenta.', 'Si usted la hizo, llámenos para confirmarla. Si no, avísenos para proteger su identidad.')
) AS m (k, l, lb, m, n);
