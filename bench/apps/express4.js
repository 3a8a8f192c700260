'use strict';
require('./express-app')(require('express'), 'express4');
